// A big series (at least SPLIT_MIN_SLICES slices) is read by every import worker at once, each a slice
// range, into one shared volume; its thumbnails and its --export-nifti file must come out as for any
// other series: the NIfTI equal to dcm2niix's (identical voxels, affine within 1e-3 mm).
// Data: one 120-slice series written at test time from a real volume (mricron-data's Colin27 ch2.nii.gz,
// header attributes of pydicom's MR_small.dcm) by bench/make-dicom-series.py.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { readNifti } from '../../../../../app/services/imaging/index.js';
import { startImport } from '../../../../../app/services/import/index.js';
import { SPLIT_MIN_SLICES } from '../../../../../app/services/import/step-finish.js';
import { validateImportPaths } from '../../../../../app/services/import/validate-paths.js';
import { compareVolumes, runDcm2niix } from '../imaging/support/oracle.js';
import { PYDICOM, count, harness, tmpDir } from './helpers.js';

const COLIN = '/usr/share/mricron/templates/ch2.nii.gz';
const SLICES = 120;
let root: string;
let src: string;

beforeAll(() => {
  root = tmpDir('import-big');
  src = path.join(root, 'studies');
  execFileSync('/usr/bin/python3', ['bench/make-dicom-series.py', 'many', COLIN, path.join(PYDICOM, 'MR_small.dcm'), src, '1', String(SLICES)]);
}, 120_000);

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

describe('a big series read by all workers', () => {
  it('exports the same NIfTI as dcm2niix and makes its thumbnails', async () => {
    expect(SLICES).toBeGreaterThanOrEqual(SPLIT_MIN_SLICES);
    const h = harness(path.join(root, 'data'));
    const out = path.join(root, 'nii');
    try {
      const { job } = startImport(h.services.context, validateImportPaths([src], h.dataDir), true, { dir: out, gzip: false });
      const snap = await h.services.jobs.wait(job);
      expect(snap.state).toBe('done');
      expect(count(h, `SELECT count(*) AS n FROM series WHERE status = 'complete' AND dim_z = ${SLICES}`)).toBe(1);
      const id = count(h, 'SELECT id AS n FROM series');
      for (const axis of ['axial', 'coronal', 'sagittal']) expect(fs.statSync(path.join(h.dataDir, 'thumbnails', `${id}-${axis}.png`)).size).toBeGreaterThan(100);
      const ours = fs.readdirSync(out).filter((f) => f.endsWith('.nii'));
      expect(ours).toHaveLength(1);
      const [mine] = await readNifti(path.join(out, ours[0]), { applyScaling: false });
      const [ref] = await readNifti(runDcm2niix(src, path.join(root, 'd2n'))[0], { applyScaling: false });
      const c = compareVolumes(mine, ref);
      expect(c.voxels).toBe(181 * 217 * SLICES);
      expect(c.differing).toBe(0);
      expect(c.maxAffineDiff).toBeLessThan(1e-3);
    } finally {
      await h.close();
    }
  });
});
