// `voxelbase export`: bad --format / --keys / run values are usage errors before anything opens; an unknown run is
// NotFoundError with exit 1 and nothing written at --out; a real run (Colin27 skull-stripped, pretrained one step
// with a tiny ResNet-10 through the services) exports to --out with the formats and key names asked for.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSafetensors } from '../../../../native-models/index.js';
import { harness } from '../services/import/helpers.js';
import type { PretrainOptions } from '../../../../app/contract/types.js';

const bin = path.resolve('bin/voxelbase.js');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-cli-export-'));
const dataDir = path.join(root, 'data');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let run = 0;

beforeAll(async () => {
  const src = path.join(root, 'src');
  fs.mkdirSync(src);
  fs.copyFileSync('/usr/share/mricron/templates/ch2bet.nii.gz', path.join(src, 'ch2bet.nii.gz'));
  const h = harness(dataDir);
  try {
    await h.importPaths([src], false);
    const series = (await h.api.call('series:list', {})).rows.map((r) => r.id);
    const options = { arch: 'resnet10', widths: [8, 8, 16, 16], heads: { projHidden: 32, projOut: 8, predHidden: 32 }, input: 16, spacing: 4, batch: 2, norm: 'batch', optimizer: 'adamw', lr: 1e-3, threads: 1, loaderWorkers: 1, seed: 3, steps: 1 } satisfies PretrainOptions;
    const r = await h.api.call('pretrain:start', { series, options, name: 'cli run' });
    const snap = await h.services.jobs.wait(r.job);
    expect(snap.state, snap.error?.message).toBe('done');
    run = r.run;
  } finally {
    await h.close();
  }
}, 180_000);

function voxelbase(args: string[]) {
  return spawnSync(process.execPath, [bin, '--data-dir', dataDir, ...args], { env: { ...process.env, VOXELBASE_FROM_SOURCE: '1' }, encoding: 'utf8', timeout: 90_000 });
}

describe('voxelbase export', () => {
  it('refuses bad formats and key styles as usage errors', () => {
    const out = path.join(root, 'x');
    for (const [args, msg] of [
      [['export', '1', '--out', out, '--format', 'onnx,pt'], /"onnx,pt": formats are a comma-separated list of onnx, safetensors, card/],
      [['export', '1', '--out', out, '--keys', 'timm'], /"timm" is not monai or medicalnet/],
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
    const out = path.join(root, 'y');
    const r = voxelbase(['--json', 'export', '42', '--out', out]);
    expect(r.status, r.stderr).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { name: 'NotFoundError', message: expect.stringMatching(/run .*42/) } });
    expect(fs.existsSync(out)).toBe(false);
  });

  it('exports a run to --out: the formats and key names asked for, the record as JSON', () => {
    const out = path.join(root, 'cli-export');
    const r = voxelbase(['--json', 'export', String(run), '--out', out, '--format', 'safetensors,card', '--keys', 'medicalnet', '--licence', 'CC-BY-4.0']);
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { ok: boolean; state: string; export: { dir: string; files: { name: string }[]; keys: string; card: { licence: string; run: { id: number } } } };
    expect(doc.ok).toBe(true);
    expect(doc.export.dir).toBe(out);
    expect(fs.readdirSync(out).sort()).toEqual(['encoder.safetensors', 'heads.safetensors', 'model-card.json', 'model-card.md']);
    expect(doc.export.keys).toBe('medicalnet');
    expect(doc.export.card).toMatchObject({ licence: 'CC-BY-4.0', run: { id: run } });
    const st = decodeSafetensors(fs.readFileSync(path.join(out, 'encoder.safetensors')));
    expect(Object.keys(st.tensors).every((k) => k.startsWith('module.'))).toBe(true);
    const text = voxelbase(['export', String(run), '--out', path.join(root, 'cli-text'), '--format', 'onnx']);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^run ${run} at step 1 -> .*cli-text\n  encoder.onnx`));
    expect(text.stdout).toMatch(/ONNX checked against the unfolded encoder/);
  }, 120_000);
});
