// search:similar on real embedded volumes: a series finds itself first with score 1 and the rest in the order of
// an independent cosine ranking of the stored vectors; the series list's filters combine with the ranking (only
// kept series, same relative order); a NIfTI file not in the catalogue, embedded on the fly, finds its catalogued
// copy first; bad queries are refused by name. `voxelbase search --json` through the CLI returns the same.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchResult } from '../../../../../app/contract/types.js';
import { loadEmbeddings } from '../../../../../app/services/embed/index.js';
import { NIBABEL } from '../import/helpers.js';
import { type Corpus, embedAll, importCorpus } from '../embed/corpus.js';

let c: Corpus;
let model = 0;
beforeAll(async () => {
  c = await importCorpus('search');
  model = (await embedAll(c.h)).model.id;
}, 180_000);
afterAll(async () => c?.close());

/** Series ids by cosine similarity to series `q`, computed here from the stored vectors. */
function independentRanking(q: number, keep?: Set<number>): number[] {
  const set = loadEmbeddings(c.h.services.db, model);
  const d = set.model.dims;
  const vec = (i: number) => Array.from(set.vectors.subarray(i * d, (i + 1) * d));
  const qi = set.seriesIds.indexOf(q);
  const cos = (a: number[], b: number[]) => a.reduce((s, x, j) => s + x * b[j], 0) / Math.hypot(...a) / Math.hypot(...b);
  return Array.from(set.seriesIds)
    .map((id, i) => ({ id, s: cos(vec(qi), vec(i)) }))
    .filter((x) => !keep || keep.has(x.id))
    .sort((a, b) => b.s - a.s || a.id - b.id)
    .map((x) => x.id);
}

describe('search:similar', () => {
  it('finds the query series first with score 1, then the others in cosine order', async () => {
    const q = c.ids['anatomical.nii'];
    const r = await c.h.api.call('search:similar', { model, query: { series: q }, k: 10 });
    expect(r.method).toBe('exact');
    expect(r.hits[0].series.id).toBe(q);
    expect(r.hits[0].score).toBeCloseTo(1, 5);
    expect(r.hits.map((h) => h.series.id)).toEqual(independentRanking(q));
    expect(r.hits.map((h) => h.rank)).toEqual([1, 2, 3, 4, 5, 6]);
    for (let i = 1; i < r.hits.length; i++) expect(r.hits[i].score).toBeLessThanOrEqual(r.hits[i - 1].score);
  });

  it('combines the series filters with the ranking', async () => {
    const q = c.ids['anatomical.nii'];
    const r = await c.h.api.call('search:similar', { model, query: { series: q }, k: 3, filter: { kind: 'nifti', maxDims: [40, 40, 40] } });
    const kept = (await c.h.api.call('series:list', { filter: { kind: 'nifti', maxDims: [40, 40, 40] }, limit: 100 })).rows.map((s) => s.id);
    expect(kept).not.toContain(q); // 33x41x25: y is over 40
    expect(r.candidates).toBe(kept.length);
    expect(r.hits.map((h) => h.series.id)).toEqual(independentRanking(q, new Set(kept)).slice(0, 3));
    const none = await c.h.api.call('search:similar', { model, query: { series: q }, filter: { modality: ['CT'] } });
    expect([none.candidates, none.hits]).toEqual([0, []]);
  });

  it('embeds a NIfTI file on the fly (not imported) and finds its catalogued copy first', async () => {
    const before = (await c.h.api.call('series:list', {})).total;
    const r = await c.h.api.call('search:similar', { model, query: { path: path.join(NIBABEL, 'reoriented_anat_moved.nii') }, k: 2 });
    expect(r.query.path).toBe(path.join(NIBABEL, 'reoriented_anat_moved.nii'));
    expect(r.hits[0].series.id).toBe(c.ids['reoriented_anat_moved.nii']);
    expect(r.hits[0].score).toBeCloseTo(1, 5);
    expect((await c.h.api.call('series:list', {})).total).toBe(before);
  });

  it('refuses unknown series and models, folders and non-NIfTI files by name', async () => {
    await expect(c.h.api.call('search:similar', { model, query: { series: 9999 } })).rejects.toThrow(/no series with id 9999/);
    await expect(c.h.api.call('search:similar', { model: 77, query: { series: 1 } })).rejects.toThrow(/no embedding model with id 77/);
    await expect(c.h.api.call('search:similar', { model, query: { path: path.join(c.src, 'mr') } })).rejects.toThrow(/not a file/);
    await expect(c.h.api.call('search:similar', { model, query: { path: path.join(c.src, 'mr', 'brain_001.dcm') } })).rejects.toThrow(/must be NIfTI/);
  });

  it('voxelbase search --json gives the same ranking, with filters parsed as series list parses them', async () => {
    const q = c.ids['anatomical.nii'];
    const kept = (await c.h.api.call('series:list', { filter: { kind: 'nifti', maxDims: [40, 40, 40] }, limit: 100 })).rows.map((s) => s.id);
    const expected = independentRanking(q, new Set(kept)).slice(0, 3);
    await c.h.close(); // the CLI opens the same data folder
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, [path.resolve('bin/voxelbase.js'), '--data-dir', c.h.dataDir, '--json', 'search', String(q), '--model', String(model), '--k', '3', '--kind', 'nifti', '--max-dims', '40x40x40'], {
      env: { ...process.env, VOXELBASE_FROM_SOURCE: '1' },
      timeout: 120_000,
    });
    const r = JSON.parse(stdout) as SearchResult;
    expect(r.hits.map((h) => h.series.id)).toEqual(expected);
    expect(r.hits.every((h) => h.series.kind === 'nifti' && h.series.dims[1] <= 40)).toBe(true);
  });
});
