// `voxelbase <command> --json` when the command fails: stdout is exactly one JSON document
// `{ ok: false, error: { name, message } }` (app/cli/program.ts runCli, errors serialised by
// app/contract/errors.ts) and the exit status is 1; without --json the same error goes to stderr as text.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const bin = path.resolve('bin/voxelbase.js');

function voxelbase(args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], {
    env: { ...process.env, VOXELBASE_FROM_SOURCE: '1' },
    encoding: 'utf8',
    timeout: 90_000,
  });
}

describe('voxelbase --json errors', () => {
  it('a series id that does not exist: {ok:false, error:{name:NotFoundError, message}} and exit 1', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-json-err-'));
    const out = path.join(dataDir, 'x.nii');
    const r = voxelbase(['--json', '--data-dir', dataDir, 'volume', 'export', '999', '--out', out]);
    expect(r.status, r.stderr).toBe(1);
    expect(JSON.parse(r.stdout)).toStrictEqual({ ok: false, error: { name: 'NotFoundError', message: 'no series with id 999' } });
    expect(fs.existsSync(out)).toBe(false);

    const text = voxelbase(['--data-dir', dataDir, 'volume', 'export', '999', '--out', out]);
    expect(text.status).toBe(1);
    expect(text.stdout).toBe('');
    expect(text.stderr).toBe('voxelbase: NotFoundError: no series with id 999\n');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('a bad option value (serve --port 99999) with --json after the command: the same shape, exit 1', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-json-err-'));
    const r = voxelbase(['serve', '--no-open', '--port', '99999', '--json', '--data-dir', dataDir]);
    expect(r.status, r.stderr).toBe(1);
    const doc = JSON.parse(r.stdout) as { ok: boolean; error: { name: string; message: string } };
    expect(doc).toStrictEqual({ ok: false, error: { name: 'Error', message: '--port must be 0-65535, got 99999' } });
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('a usage error (a series id that is not a number, an unknown option) with --json: UsageError, exit 2', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-json-err-'));
    for (const args of [
      ['volume', 'export', 'abc', '--out', path.join(dataDir, 'x.nii')],
      ['series', 'list', '--no-such-option'],
    ]) {
      const r = voxelbase(['--json', '--data-dir', dataDir, ...args]);
      expect(r.status, r.stderr).toBe(2);
      const doc = JSON.parse(r.stdout) as { ok: boolean; error: { name: string; message: string } };
      expect(doc.ok).toBe(false);
      expect(doc.error.name).toBe('UsageError');
      expect(doc.error.message.length).toBeGreaterThan(5);
      expect(doc.error.message).not.toMatch(/^error:/i);
      expect(r.stderr).toContain(doc.error.message);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});
