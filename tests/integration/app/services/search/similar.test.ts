// search:similar on real embedded volumes: a series finds itself first with score 1 and the rest in the order of
// an independent cosine ranking of the stored vectors; the series list's filters combine with the ranking (only
// kept series, same relative order); a NIfTI file not in the catalogue, embedded on the fly, finds its catalogued
// copy first, and so does the DICOM series given as its folder, as a zip of it, or uploaded through the web
// server's POST /api/upload (web mode); bad queries are refused by name. `voxelbase search --json` through the CLI
// returns the same.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchResult, UploadRecord } from '../../../../../app/contract/types.js';
import { loadEmbeddings } from '../../../../../app/services/embed/index.js';
import { startWebServer, type WebServer } from '../../../../../app/transports/http/server.js';
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

  it('embeds a DICOM series given as its folder or as a zip, and finds its catalogued copy first', async () => {
    const mr = c.ids['mr'];
    const folder = await c.h.api.call('search:similar', { model, query: { path: path.join(c.src, 'mr') }, k: 2 });
    expect(folder.hits[0].series.id).toBe(mr);
    expect(folder.hits[0].score).toBeCloseTo(1, 5);
    expect(folder.query.description).toMatch(/^mr\/: DICOM series .*\(20 slices\)/);
    const zip = path.join(c.root, 'mr.zip');
    const dir = path.join(c.src, 'mr');
    fs.writeFileSync(zip, zipSync(Object.fromEntries(fs.readdirSync(dir).map((f) => [`series/${f}`, new Uint8Array(fs.readFileSync(path.join(dir, f)))]))));
    const zipped = await c.h.api.call('search:similar', { model, query: { path: zip }, k: 2 });
    expect(zipped.hits[0].series.id).toBe(mr);
    expect(zipped.hits[0].score).toBeCloseTo(1, 5);
    expect(zipped.hits.map((h) => h.score)).toEqual(folder.hits.map((h) => h.score));
  });

  it('web mode: a file uploaded through POST /api/upload is searched by its upload id', async () => {
    const web: WebServer = await startWebServer({ services: c.h.services, staticDir: path.join(c.root, 'no-renderer') });
    try {
      const file = path.join(NIBABEL, 'reoriented_anat_moved.nii');
      const body = fs.readFileSync(file);
      const reply = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port: web.port,
            method: 'POST',
            path: '/api/upload?name=reoriented_anat_moved.nii',
            headers: { Host: `127.0.0.1:${web.port}`, Authorization: `Bearer ${web.token}`, 'Content-Type': 'application/octet-stream', 'Content-Length': body.length },
            agent: false,
          },
          (res) => {
            const parts: Buffer[] = [];
            res.on('data', (d: Buffer) => parts.push(d));
            res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(parts).toString() }));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
      expect(reply.status).toBe(200);
      const rec = (JSON.parse(reply.body) as { ok: true; result: UploadRecord }).result;
      expect(rec).toMatchObject({ name: 'reoriented_anat_moved.nii', bytes: body.length });
      const r = await c.h.api.call('search:similar', { model, query: { upload: rec.upload }, k: 2 });
      expect(r.query).toMatchObject({ upload: rec.upload, path: null, series: null, description: 'reoriented_anat_moved.nii' });
      expect(r.hits[0].series.id).toBe(c.ids['reoriented_anat_moved.nii']);
      expect(r.hits[0].score).toBeCloseTo(1, 5);
    } finally {
      await web.close();
    }
  });

  it('refuses unknown series, models and uploads, 2-D and non-volume files by name', async () => {
    await expect(c.h.api.call('search:similar', { model, query: { series: 9999 } })).rejects.toThrow(/no series with id 9999/);
    await expect(c.h.api.call('search:similar', { model: 77, query: { series: 1 } })).rejects.toThrow(/no embedding model with id 77/);
    await expect(c.h.api.call('search:similar', { model, query: { upload: 'B'.repeat(22) } })).rejects.toThrow(/no longer kept/);
    await expect(c.h.api.call('search:similar', { model, query: { path: path.join(c.src, 'mr', 'brain_001.dcm') } })).rejects.toThrow(/brain_001\.dcm: series FSE PD AXIAL OBL cannot be embedded \(Single slice: a 2-D image/);
    const text = path.join(c.root, 'notes.txt');
    fs.writeFileSync(text, 'not a scan');
    await expect(c.h.api.call('search:similar', { model, query: { path: text } })).rejects.toThrow(/notes\.txt: not a NIfTI file .*, a DICOM file/);
    await expect(c.h.api.call('search:similar', { model, query: { path: path.join(c.root, 'absent.nii') } })).rejects.toThrow(/absent\.nii: no such file/);
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
