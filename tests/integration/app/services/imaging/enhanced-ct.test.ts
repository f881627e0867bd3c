// Enhanced CT Image Storage (SOP class 1.2.840.10008.5.1.4.1.1.2.1), built at test time by make-series.py
// (`enhanced-ct`) from the 12-slice CT series the oracle tests make out of pydicom's real CT_small.dcm:
// frames in reverse spatial order with per-frame positions and per-frame CT Pixel Value Transformation
// (slope 1 or 0.5, intercept shifted by 7 HU per frame, stored values rewritten so the HU are unchanged).
// The assembled volume must equal the uncompressed single-frame original: same real values voxel for voxel,
// affine within 1e-3 mm; once axial and once turned 20 degrees (oblique) against the same turn applied to
// the classic slices, whose own assembly is checked against dcm2niix. Then through the import, the series
// row of the enhanced file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadVolume, parseDicomHeader, readNifti, type Volume } from '../../../../../app/services/imaging/index.js';
import { assembleDir, compareVolumes, freshDir, makeSeries, oursAsNifti, runDcm2niix } from './support/oracle.js';
import { harness } from '../import/helpers.js';

const ENHANCED_CT = '1.2.840.10008.5.1.4.1.1.2.1';
let base: string;
let classic: Volume;
let rotated: Volume;

beforeAll(async () => {
  base = freshDir('enhanced-ct');
  makeSeries(['ct', join(base, 'ct'), '12']);
  makeSeries(['enhanced-ct', join(base, 'ct'), join(base, 'enh')]);
  makeSeries(['enhanced-ct', join(base, 'ct'), join(base, 'enh-oblique'), '--oblique']);
  makeSeries(['rotate-ct', join(base, 'ct'), join(base, 'ct-oblique')]);
  const a = assembleDir(join(base, 'ct'));
  expect(a.volumes).toHaveLength(1);
  classic = await loadVolume(a.volumes[0]);
  const r = assembleDir(join(base, 'ct-oblique'));
  expect(r.volumes).toHaveLength(1);
  rotated = await loadVolume(r.volumes[0]);
}, 60_000);

afterAll(() => {
  if (base) rmSync(base, { recursive: true, force: true });
});

describe('enhanced multi-frame CT', () => {
  it('is one enhanced CT file of 12 frames, each with its own position, slope and intercept', () => {
    const h = parseDicomHeader(readFileSync(join(base, 'enh', 'enhanced-ct.dcm')), 'enhanced-ct.dcm');
    expect(h.sopClassUid).toBe(ENHANCED_CT);
    expect(h.isEnhanced).toBe(true);
    expect(h.series.modality).toBe('CT');
    expect(h.numberOfFrames).toBe(12);
    expect(h.frames).toHaveLength(12);
    // Frame k: slope 1 (even k) or 0.5 (odd k), intercept -1024 - 7k; positions in reverse z order.
    expect(h.frames!.map((f) => f.rescaleSlope)).toEqual(Array.from({ length: 12 }, (_, k) => (k % 2 ? 0.5 : 1)));
    expect(h.frames!.map((f) => f.rescaleIntercept)).toEqual(Array.from({ length: 12 }, (_, k) => -1024 - 7 * k));
    const z = h.frames!.map((f) => f.imagePositionPatient![2]);
    for (let k = 1; k < 12; k++) expect(z[k - 1] - z[k]).toBeCloseTo(2.5, 4);
  });

  it('axial: frames sorted by position, per-frame slope/intercept applied: voxels and affine equal the single-frame original', async () => {
    const a = assembleDir(join(base, 'enh'));
    expect(a.volumes).toHaveLength(1);
    const plan = a.volumes[0];
    expect(plan.header.isEnhanced).toBe(true);
    expect(plan.dims).toEqual([128, 128, 12]);
    expect(plan.spacing[2]).toBeCloseTo(2.5, 4);
    expect(plan.flags).toEqual([]);
    expect(plan.usableForLearning).toBe(true);
    const v = await loadVolume(plan);
    const cmp = compareVolumes(v, classic);
    expect(cmp.voxels).toBe(128 * 128 * 12);
    expect(cmp.differing).toBe(0);
    expect(cmp.maxAffineDiff).toBeLessThan(1e-3);
  });

  it('oblique (turned 20 degrees): equal to the same turn of the classic slices, which equals dcm2niix', async () => {
    const { nifti } = await oursAsNifti(join(base, 'ct-oblique'), join(base, 'ct-oblique.nii'));
    const [ref] = await readNifti(runDcm2niix(join(base, 'ct-oblique'), join(base, 'ct-oblique-out'))[0], { applyScaling: false });
    const refCmp = compareVolumes(nifti, ref);
    expect(refCmp.differing).toBe(0);
    expect(refCmp.maxAffineDiff).toBeLessThan(1e-3);

    const plan = assembleDir(join(base, 'enh-oblique')).volumes[0];
    expect(plan.oblique).toBe(true);
    expect(plan.dims).toEqual([128, 128, 12]);
    const cmp = compareVolumes(await loadVolume(plan), rotated);
    expect(cmp.differing).toBe(0);
    expect(cmp.maxAffineDiff).toBeLessThan(1e-3);
    // The turn is real: the oblique affine is far from the axial one.
    expect(compareVolumes(rotated, classic).maxAffineDiff).toBeGreaterThan(1);
  });

  it('imports as one complete, usable CT series of 12 slices from one file', async () => {
    const h = harness(join(base, 'data'));
    try {
      await h.importPaths([join(base, 'enh')], false);
      const { rows } = await h.api.call('series:list', {});
      expect(rows).toHaveLength(1);
      const s = rows[0];
      expect([s.modality, s.status, s.usableForLearning, s.fileCount, s.sliceCount]).toEqual(['CT', 'complete', true, 1, 12]);
      expect(s.dims).toEqual([128, 128, 12]);
      expect(s.spacing[2]).toBeCloseTo(2.5, 4);
      const d = await h.api.call('series:get', { id: s.id });
      for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) expect(Math.abs(d.affine[r][c] - classic.affine[r][c])).toBeLessThan(1e-3);
      const sl = await h.api.call('series:slice', { id: s.id, axis: 'axial', index: 5 });
      expect([sl.width, sl.height, sl.count]).toEqual([128, 128, 12]);
    } finally {
      await h.close();
    }
  }, 60_000);
});
