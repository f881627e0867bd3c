// `voxelbase export`: bad --format / --keys / run values are usage errors before anything opens; an unknown run is
// NotFoundError with exit 1 and nothing written at --out.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const bin = path.resolve('bin/voxelbase.js');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-cli-export-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function voxelbase(args: string[]) {
  return spawnSync(process.execPath, [bin, '--data-dir', dataDir, ...args], { env: { ...process.env, VOXELBASE_FROM_SOURCE: '1' }, encoding: 'utf8', timeout: 90_000 });
}

describe('voxelbase export', () => {
  it('refuses bad formats, key styles and run ids as usage errors', () => {
    const out = path.join(dataDir, 'x');
    for (const [args, msg] of [
      [['export', '1', '--out', out, '--format', 'onnx,pt'], /"onnx,pt": formats are a comma-separated list of onnx, safetensors, card/],
      [['export', '1', '--out', out, '--keys', 'timm'], /"timm" is not monai or medicalnet/],
      [['export', '0', '--out', out], /"0" is not a run/],
      [['export', '1'], /required option '--out <dir>'/],
    ] as [string[], RegExp][]) {
      const r = voxelbase(['--json', ...args]);
      expect(r.status, r.stderr).toBe(2);
      const doc = JSON.parse(r.stdout) as { ok: boolean; error: { name: string; message: string } };
      expect(doc.ok).toBe(false);
      expect(doc.error.name).toBe('UsageError');
      expect(doc.error.message).toMatch(msg);
    }
    expect(fs.existsSync(out)).toBe(false);
  });

  it('an unknown run: NotFoundError, exit 1, nothing written', () => {
    const out = path.join(dataDir, 'y');
    const r = voxelbase(['--json', 'export', '42', '--out', out]);
    expect(r.status, r.stderr).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { name: 'NotFoundError', message: expect.stringMatching(/run .*42/) } });
    const text = voxelbase(['export', '42', '--out', out]);
    expect(text.status).toBe(1);
    expect(text.stderr).toMatch(/^voxelbase: NotFoundError: .*run .*42/);
    expect(fs.existsSync(out)).toBe(false);
  });
});
