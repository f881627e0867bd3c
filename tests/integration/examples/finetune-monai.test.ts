// examples/finetune_monai.py runs on a real export: it loads encoder.safetensors strictly into the plain-PyTorch
// MONAI ResNet (MONAI and the safetensors package are absent on CI: its fallbacks), prepares NIfTI volumes as the
// model card says, adds a classification head and fine-tunes; over a few full-batch steps on 8 Colin27 crops
// (two classes: with and without scalp and skull) its loss falls. And what it prepares from a volume, following
// the card's input description only, is what Voxelbase's preprocessing made of the same volume for training
// (Colin27 at 2 mm: same orientation and axis order, same grid, same intensity normalisation, to the stated tolerance).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeEncoderExport } from '../../../app/services/export/export-encoder.js';
import { exportInputOf } from '../../../app/services/export/source-from-run.js';
import { ensurePreprocessed, readCacheFile, resolveSettings } from '../../../app/services/preprocess/index.js';
import { harness } from '../app/services/import/helpers.js';
import { trainedSource } from '../app/services/export/support/trained-source.js';

const HERE = path.dirname(new URL(import.meta.url).pathname);
const EXAMPLE = path.resolve(HERE, '../../../examples/finetune_monai.py');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-finetune-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const images = path.join(tmp, 'images');
const exp = path.join(tmp, 'export');

beforeAll(async () => {
  execFileSync('/usr/bin/python3', [path.join(HERE, 'support/make-volumes.py'), images]);
  const src = await trainedSource({ depth: 10, size: 16, spacingMm: 4, trained: true, steps: 2 });
  await writeEncoderExport(src, exp, { formats: ['safetensors', 'card'], keys: 'monai', version: '0' });
}, 120_000);

describe('examples/finetune_monai.py', () => {
  it('fine-tunes an export on labelled NIfTI volumes and its loss falls', () => {
    const stdout = execFileSync(
      '/usr/bin/python3',
      [EXAMPLE, '--export', exp, '--images', images, '--labels', path.join(images, 'labels.csv'), '--steps', '12', '--batch', '8', '--lr', '3e-3', '--threads', '2', '--out', path.join(tmp, 'tuned.pt'), '--json'],
      { encoding: 'utf8' },
    );
    const lines = stdout.trim().split('\n');
    const summary = JSON.parse(lines[lines.length - 1]) as { losses: number[]; classes: string[]; volumes: number; input: number[]; network: string };
    expect(lines.filter((l) => /^step \d+ loss [\d.]+$/.test(l))).toHaveLength(12);
    expect(summary.classes).toEqual(['brain', 'head']);
    expect(summary.volumes).toBe(8);
    expect(summary.input).toEqual([1, 16, 16, 16]);
    expect(summary.network).toMatch(/PlainResNet$/);
    const l = summary.losses;
    expect(l.every(Number.isFinite)).toBe(true);
    const first = (l[0] + l[1] + l[2]) / 3;
    const last = (l[9] + l[10] + l[11]) / 3;
    expect(last).toBeLessThan(0.7 * first);
    expect(fs.statSync(path.join(tmp, 'tuned.pt')).size).toBeGreaterThan(0);
  }, 120_000);

  it('refuses a CSV without a label column, naming the file', () => {
    const csv = path.join(tmp, 'bad.csv');
    fs.writeFileSync(csv, 'file,class\na.nii.gz,x\n');
    let err = '';
    try {
      execFileSync('/usr/bin/python3', [EXAMPLE, '--export', exp, '--images', tmp, '--labels', csv], { encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      err = String((e as { stderr: string }).stderr);
    }
    expect(err).toContain(`${csv}: needs a header with a file column and a label column`);
  }, 60_000);

  it('prepares a volume as Voxelbase preprocessed it for training, from the card alone', async () => {
    const src = path.join(tmp, 'colin');
    fs.mkdirSync(src, { recursive: true });
    fs.copyFileSync('/usr/share/mricron/templates/ch2.nii.gz', path.join(src, 'ch2.nii.gz'));
    const h = harness(path.join(tmp, 'data'));
    let box: { start: number[]; size: number[] };
    let values: Float32Array;
    try {
      await h.importPaths([src], false);
      const id = (await h.api.call('series:list', {})).rows[0].id;
      const settings = resolveSettings({ spacing: [2, 2, 2] });
      const res = await ensurePreprocessed({ dataDir: h.dataDir, db: h.services.db }, [id], { settings, workers: 1 });
      const c = readCacheFile(res.entries[0].file);
      box = c.header.grid.box;
      expect(c.header.dims).toEqual(box.size);
      values = Float32Array.from(c.data, (q) => c.header.offset + c.header.scale * q);
      const card = { input: exportInputOf({ input: [16, 16, 16], preprocess: settings }) };
      fs.writeFileSync(path.join(tmp, 'card-input.json'), JSON.stringify(card));
    } finally {
      await h.close();
    }
    fs.writeFileSync(path.join(tmp, 'cache.f32'), Buffer.from(values.buffer));
    const py = `
import importlib.util, json, sys
import numpy as np
spec = importlib.util.spec_from_file_location('ex', sys.argv[1]); ex = importlib.util.module_from_spec(spec); spec.loader.exec_module(ex)
card = json.load(open(sys.argv[2]))
vol = ex.load_volume(sys.argv[3], card)                       # [D, H, W] = [z, y, x]
x0, y0, z0 = json.loads(sys.argv[5]); nx, ny, nz = json.loads(sys.argv[6])
cache = np.fromfile(sys.argv[4], dtype='<f4').reshape(nz, ny, nx)   # x fastest
mine = vol[z0:z0 + nz, y0:y0 + ny, x0:x0 + nx]
d = np.abs(mine - cache)
print(json.dumps({'full': list(vol.shape), 'box': list(mine.shape), 'max': float(d.max()), 'mean': float(d.mean()), 'p99': float(np.percentile(d, 99)),
                  'corr': float(np.corrcoef(mine.ravel(), cache.ravel())[0, 1]), 'flipped': float(np.abs(mine[::-1] - cache).mean())}))
`;
    const r = JSON.parse(execFileSync('/usr/bin/python3', ['-c', py, EXAMPLE, path.join(tmp, 'card-input.json'), path.join(src, 'ch2.nii.gz'), path.join(tmp, 'cache.f32'), JSON.stringify(box!.start), JSON.stringify(box!.size)], { encoding: 'utf8' })) as {
      full: number[]; box: number[]; max: number; mean: number; p99: number; corr: number; flipped: number;
    };
    // The 2 mm grid of Colin27 (181 x 217 x 181 at 1 mm), as [z, y, x]; the box inside it.
    expect(r.full).toEqual([91, 109, 91]);
    expect(r.box).toEqual([box!.size[2], box!.size[1], box!.size[0]]);
    // z-score units: the cache's int16 quantisation (half a step is ~6e-5 here) and float rounding only (measured:
    // max 3.8e-5, mean 1.1e-5).
    expect(r.max).toBeLessThan(2e-4);
    expect(r.mean).toBeLessThan(5e-5);
    expect(r.corr).toBeGreaterThan(0.99999);
    expect(r.flipped).toBeGreaterThan(0.1); // the comparison sees orientation: flipped along z it fails
  }, 180_000);
});
