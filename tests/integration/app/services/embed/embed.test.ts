// The embed job on real volumes: every series embedded (the 4x5x7 volume padded into one tile, the 4-D series'
// first volume), incremental (a second run embeds nothing; a changed source file is embedded again under a new
// key), the worker's vectors equal an in-thread VolumeEmbedder's on the same cache files (with the conv plan the
// job tuned into the data folder), and
// `embeddings export` writes an embeddings.npy that NumPy reads back equal, with series.csv rows in order.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VolumeEmbedder, exportEmbeddings, loadEmbeddings, randomEncoderSource } from '../../../../../app/services/embed/index.js';
import { ensurePreprocessed } from '../../../../../app/services/preprocess/index.js';
import { tuningDir } from '../../../../../app/services/pretrain/index.js';
import { NIBABEL } from '../import/helpers.js';
import { type Corpus, TINY_ENCODER, embedAll, importCorpus } from './corpus.js';

let c: Corpus;
beforeAll(async () => {
  c = await importCorpus('embed');
}, 120_000);
afterAll(async () => c?.close());

describe('embed job', () => {
  let modelId = 0;

  it('embeds every series once, with tiles covering each volume', async () => {
    const { model, result } = await embedAll(c.h);
    modelId = model.id;
    expect(result.embedded).toBe(6);
    expect(result.failed).toEqual([]);
    expect(model.dims).toBe(32);
    const rows = c.h.services.db.prepare('SELECT series_id, tiles FROM embeddings WHERE model_id = ? ORDER BY series_id').all(model.id) as { series_id: number; tiles: number }[];
    expect(rows).toHaveLength(6);
    const tiles = new Map(rows.map((r) => [r.series_id, r.tiles]));
    expect(tiles.get(c.ids['standard.nii.gz'])).toBe(1); // 4x5x7 at 2 mm: smaller than the box, padded
    expect(result.tiles).toBe(rows.reduce((s, r) => s + r.tiles, 0));
    const models = await c.h.api.call('embed:models', {});
    expect(models.map((m) => [m.id, m.embeddings])).toEqual([[model.id, 6]]);
  });

  it('matches an in-thread VolumeEmbedder on the same cache files', async () => {
    const source = randomEncoderSource({ ...TINY_ENCODER, widths: [...TINY_ENCODER.widths], box: [...TINY_ENCODER.box] });
    const set = loadEmbeddings(c.h.services.db, modelId);
    const pre = await ensurePreprocessed(c.h.services, Array.from(set.seriesIds), { settings: source.settings });
    // the job's plan: the data folder's tuning cache, which the job filled
    const emb = await VolumeEmbedder.create({ resnet: source.resnet, params: source.params, box: source.box, threads: 2, tuningDir: tuningDir(c.h.services.dataDir) });
    expect(emb.convPlan.source).toBe('cache');
    try {
      for (const e of pre.entries) {
        const i = set.seriesIds.indexOf(e.seriesId);
        const { vector } = await emb.embedEntry(e);
        expect(Array.from(set.vectors.subarray(i * 32, (i + 1) * 32))).toEqual(Array.from(vector));
      }
    } finally {
      await emb.close();
    }
    // Different series give different vectors (not a constant).
    expect(set.vectors.subarray(0, 32)).not.toEqual(set.vectors.subarray(32, 64));
  });

  it('is incremental: unchanged series are skipped, a changed source is embedded again under a new key', async () => {
    const again = await embedAll(c.h);
    expect([again.result.embedded, again.result.unchanged]).toEqual([0, 6]);
    const id = c.ids['anatomical.nii'];
    const before = c.h.services.db.prepare('SELECT id FROM embeddings WHERE series_id = ?').get(id) as { id: number };
    // Replace the anatomical volume's file by another volume of the same grid (a flipped copy), re-import.
    const file = path.join(c.src, 'anatomical.nii');
    execFileSync('/usr/bin/python3', ['-c', `import nibabel as nb, numpy as np; i = nb.load(${JSON.stringify(path.join(NIBABEL, 'anatomical.nii'))}); nb.save(nb.Nifti1Image(np.asarray(i.dataobj)[::-1].copy(), i.affine, i.header), ${JSON.stringify(file)})`]);
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
    await c.h.importPaths([c.src], false);
    const third = await embedAll(c.h);
    expect([third.result.embedded, third.result.unchanged]).toEqual([1, 5]);
    const after = c.h.services.db.prepare('SELECT id FROM embeddings WHERE series_id = ?').get(id) as { id: number };
    expect(after.id).not.toBe(before.id);
  });

  it('exports embeddings.npy and series.csv that NumPy and a CSV reader read back', () => {
    const out = path.join(c.root, 'export');
    const res = exportEmbeddings(c.h.services.db, modelId, out);
    expect([res.rows, res.dims]).toEqual([6, 32]);
    const set = loadEmbeddings(c.h.services.db, modelId);
    const py = execFileSync('/usr/bin/python3', ['-c', `import numpy as np, json; a = np.load(${JSON.stringify(res.npy)}); print(json.dumps({"shape": a.shape, "dtype": str(a.dtype), "data": a.ravel().tolist()}))`], { encoding: 'utf8' });
    const got = JSON.parse(py) as { shape: number[]; dtype: string; data: number[] };
    expect(got.shape).toEqual([6, 32]);
    expect(got.dtype).toBe('float32');
    expect(Float32Array.from(got.data)).toEqual(set.vectors);
    const csv = fs.readFileSync(res.csv, 'utf8').trim().split('\n');
    expect(csv[0]).toBe('row,series_id,series_uid,source_path');
    expect(csv.slice(1).map((l) => Number(l.split(',')[1]))).toEqual(Array.from(set.seriesIds));
    expect(csv.find((l) => l.split(',')[1] === String(c.ids.mr))).toContain(path.join(c.src, 'mr'));
    expect(fs.readdirSync(out).sort()).toEqual(['embeddings.npy', 'series.csv']);
  });
});
