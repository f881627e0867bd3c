// writeEncoderExport: the formats asked for and nothing else; a card whose files list matches the bytes on disk;
// cancellation and refusals leave no folder; a GroupNorm encoder exports as ONNX but not as MONAI safetensors;
// a process killed mid-export leaves no folder at the target, and the next export there cleans up after it.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeSafetensors } from '../../../../../native-models/index.js';
import { writeEncoderExport, type ExportOptions } from '../../../../../app/services/export/export-encoder.js';
import type { ModelCard } from '../../../../../app/services/export/model-card.js';
import { trainedSource } from './support/trained-source.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-export-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const opts: ExportOptions = { formats: ['onnx', 'safetensors', 'card'], keys: 'monai', version: '9.9.9' };
const sha = (f: string) => createHash('sha256').update(fs.readFileSync(f)).digest('hex');

describe('writeEncoderExport', () => {
  it('writes the chosen formats; the card lists every file with its size and hash', async () => {
    const src = await trainedSource({ depth: 10, trained: false });
    src.evaluation = [{ metric: 'kNN accuracy@1', value: 0.75312, baseline: 0.6, label: 'region', detail: '40 labelled series' }];
    const steps: string[] = [];
    const out = path.join(tmp, 'all');
    const res = await writeEncoderExport(src, out, { ...opts, licence: 'CC-BY-4.0' }, { progress: (s) => steps.push(s) });
    expect(steps).toEqual(['check', 'safetensors', 'onnx', 'verify', 'card', 'finish', 'finish']);
    const card = JSON.parse(fs.readFileSync(path.join(out, 'model-card.json'), 'utf8')) as ModelCard;
    expect(card).toEqual(JSON.parse(JSON.stringify(res.card)));
    expect(card.licence).toBe('CC-BY-4.0');
    expect(card.voxelbaseVersion).toBe('9.9.9');
    expect(card.files.map((f) => f.name)).toEqual(['encoder.safetensors', 'heads.safetensors', 'encoder.onnx']);
    for (const f of card.files) {
      expect(f.bytes).toBe(fs.statSync(path.join(out, f.name)).size);
      expect(f.sha256).toBe(sha(path.join(out, f.name)));
    }
    expect(card.architecture.depth).toBe(10);
    expect(card.architecture.featureDim).toBe(16);
    expect(card.architecture.parameters).toBe(
      Object.entries(src.encoder).filter(([k]) => !/running_|num_batches/.test(k)).reduce((n, [, t]) => n + t.data.length, 0),
    );
    expect(card.loading[2]).toBe(`encoder = ${card.architecture.monai!.call}`);
    expect(card.data).toEqual({ series: 4, skipped: 0, fingerprint: 'sha256:0123', cohort: { members: 5, fingerprint: 'sha256:4567' } });
    const md = fs.readFileSync(path.join(out, 'model-card.md'), 'utf8');
    for (const line of card.loading) expect(md).toContain(line);
    expect(md).toContain(card.files[2].sha256);
    expect(card.evaluation).toEqual(src.evaluation);
    expect(md).toContain('| kNN accuracy@1 | 0.7531 | 0.6 | region |');
    // heads: projector.* and predictor.* with their BN counters
    const heads = decodeSafetensors(fs.readFileSync(path.join(out, 'heads.safetensors')));
    expect(Object.keys(heads.tensors).sort()).toEqual(
      [...Object.keys(src.heads!.projector).map((k) => `projector.${k}`), ...Object.keys(src.heads!.predictor).map((k) => `predictor.${k}`)].sort(),
    );
    expect(heads.tensors['projector.1.num_batches_tracked'].dtype).toBe('int64');
    expect(heads.metadata['voxelbase.run']).toBe('7');
  }, 60_000);

  it('writes only the ONNX model, or only the card, when asked', async () => {
    const src = await trainedSource({ depth: 10, trained: false });
    await writeEncoderExport(src, path.join(tmp, 'onnx'), { ...opts, formats: ['onnx'] });
    expect(fs.readdirSync(path.join(tmp, 'onnx'))).toEqual(['encoder.onnx']);
    const r = await writeEncoderExport(src, path.join(tmp, 'card'), { ...opts, formats: ['card'] });
    expect(fs.readdirSync(path.join(tmp, 'card')).sort()).toEqual(['model-card.json', 'model-card.md']);
    expect(r.card.files).toEqual([]);
    expect(r.card.verification).toBeNull();
    await expect(writeEncoderExport(src, path.join(tmp, 'none'), { ...opts, formats: [] })).rejects.toThrow(/nothing to export/);
  }, 60_000);

  it('stops at the next step when cancelled and leaves no folder', async () => {
    const src = await trainedSource({ depth: 10, trained: false });
    const ac = new AbortController();
    const out = path.join(tmp, 'cancelled');
    await expect(
      writeEncoderExport(src, out, opts, { signal: ac.signal, progress: (s) => s === 'onnx' && ac.abort() }),
    ).rejects.toMatchObject({ name: 'CancelledError' });
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readdirSync(tmp).filter((n) => n.includes('cancelled'))).toEqual([]);
  }, 60_000);

  it('exports a GroupNorm encoder as ONNX and refuses it as MONAI safetensors', async () => {
    const src = await trainedSource({ depth: 10, over: { norm: { kind: 'group', groups: 4 } }, trained: false });
    await expect(writeEncoderExport(src, path.join(tmp, 'gn-st'), opts)).rejects.toThrow(/cannot export run 7 .* as MONAI safetensors: .*group norm/);
    expect(fs.existsSync(path.join(tmp, 'gn-st'))).toBe(false);
    const r = await writeEncoderExport(src, path.join(tmp, 'gn'), { ...opts, formats: ['onnx', 'card'] });
    expect(r.card.architecture.monai).toBeNull();
    expect(r.card.loading).toEqual([]);
    expect(r.card.verification!.maxRelDiff).toBeLessThan(1e-5);
  }, 60_000);

  it('refuses weights that do not fit before writing anything', async () => {
    const src = await trainedSource({ depth: 10, trained: false });
    delete src.encoder['layer2.0.conv1.weight'];
    await expect(writeEncoderExport(src, path.join(tmp, 'bad'), opts)).rejects.toThrow(/layer2\.0\.conv1\.weight/);
    expect(fs.readdirSync(tmp).filter((n) => n.includes('bad'))).toEqual([]);
  }, 60_000);

  it('a process killed mid-export leaves nothing at the target; the next export there completes', async () => {
    const out = path.join(tmp, 'killed');
    const script = path.join(tmp, 'kill-child.mts');
    const here = path.dirname(new URL(import.meta.url).pathname);
    fs.writeFileSync(script, `
      import { trainedSource } from ${JSON.stringify(path.join(here, 'support/trained-source.ts'))};
      import { writeEncoderExport } from ${JSON.stringify(path.resolve(here, '../../../../../app/services/export/export-encoder.ts'))};
      const src = await trainedSource({ depth: 10, trained: false });
      await writeEncoderExport(src, ${JSON.stringify(out)}, { formats: ['onnx', 'safetensors', 'card'], keys: 'monai', version: '0' }, {
        progress: (s) => { if (s === 'onnx') { process.stdout.write('at-onnx\\n'); setInterval(() => undefined, 1000); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60000); } },
      });
    `);
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'], cwd: path.resolve(here, '../../../../..') });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('at-onnx') && resolve());
      child.on('exit', (c) => reject(new Error(`child exited ${c} before the onnx step`)));
    });
    const partial = fs.readdirSync(tmp).filter((n) => n.startsWith('.killed.partial-'));
    expect(partial).toHaveLength(1);
    expect(fs.readdirSync(path.join(tmp, partial[0]))).toContain('encoder.safetensors');
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(fs.existsSync(out)).toBe(false);
    const src = await trainedSource({ depth: 10, trained: false });
    await writeEncoderExport(src, out, opts);
    expect(fs.readdirSync(out)).toHaveLength(5);
    expect(fs.readdirSync(tmp).filter((n) => n.startsWith('.killed.partial-'))).toEqual([]);
  }, 90_000);
});
