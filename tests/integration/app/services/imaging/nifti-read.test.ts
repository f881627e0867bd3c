// NIfTI-1 and NIfTI-2, .nii and .nii.gz, 3-D and 4-D files from Debian's python3-nibabel test data, read
// by Voxelbase and compared with nibabel (affine as nibabel's img.affine: sform if sform_code > 0, else
// qform; shape; sum and a few voxels of the scaled data per volume).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readNifti } from '../../../../../app/services/imaging/index.js';
import { NIBABEL, PYTHON } from './support/oracle.js';

interface NibabelFacts {
  shape: number[];
  affine: number[][];
  sums: number[];
  firsts: number[];
  sformCode: number;
  qformCode: number;
  version: number;
}

const FILES = ['anatomical.nii', 'functional.nii', 'example4d.nii.gz', 'example_nifti2.nii.gz', 'standard.nii.gz'];

/** One Python run for all files (interpreter start-up dominates). */
function nibabelFacts(paths: string[]): Record<string, NibabelFacts> {
  const script = `
import json, sys, numpy as np, nibabel as nb
out = {}
for p in sys.argv[1:]:
    img = nb.load(p)
    d = np.asanyarray(img.dataobj).astype(np.float64)
    if d.ndim == 3: d = d[..., None]
    d = d.reshape(d.shape[:3] + (-1,))
    h = img.header
    out[p] = {
      "shape": list(img.shape), "affine": img.affine.tolist(),
      "sums": [float(d[..., t].sum()) for t in range(d.shape[3])],
      "firsts": [float(v) for v in d[..., 0].ravel(order="F")[1000:1010]],
      "sformCode": int(h["sform_code"]), "qformCode": int(h["qform_code"]),
      "version": 2 if isinstance(img, nb.Nifti2Image) else 1}
print(json.dumps(out))`;
  return JSON.parse(execFileSync(PYTHON, ['-c', script, ...paths], { encoding: 'utf8' })) as Record<string, NibabelFacts>;
}

let facts: Record<string, NibabelFacts>;
beforeAll(() => {
  facts = nibabelFacts(FILES.map((f) => join(NIBABEL, f)));
});

describe('NIfTI reading against nibabel', () => {
  it.each(FILES)('%s', async (file) => {
    const path = join(NIBABEL, file);
    const nb = facts[path];
    const vols = await readNifti(path);
    const expectedCount = nb.shape.slice(3).reduce((a, b) => a * b, 1);
    expect(vols).toHaveLength(expectedCount);
    const h = vols[0].header;
    expect(h.version).toBe(nb.version);
    expect(h.dims.slice(0, 3)).toEqual(nb.shape.slice(0, 3).concat([1, 1, 1]).slice(0, 3));
    expect(h.sformCode).toBe(nb.sformCode);
    expect(h.affineSource).toBe(nb.sformCode > 0 ? 'sform' : nb.qformCode > 0 ? 'qform' : 'pixdim');
    for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) expect(Math.abs(vols[0].affine[r][c] - nb.affine[r][c])).toBeLessThan(1e-4);
    vols.forEach((v, t) => {
      expect(v.index).toBe(t);
      let sum = 0;
      for (let i = 0; i < v.data.length; i++) sum += v.data[i];
      expect(Math.abs(sum - nb.sums[t])).toBeLessThanOrEqual(Math.max(1e-3, Math.abs(nb.sums[t]) * 1e-6));
    });
    const first = vols[0].data;
    nb.firsts.forEach((x, i) => expect(first[1000 + i]).toBeCloseTo(x, 3));
  });

  it('reads only the requested volume of a 4-D file', async () => {
    const all = await readNifti(join(NIBABEL, 'example4d.nii.gz'));
    expect(all.length).toBeGreaterThan(1);
    const last = all.length - 1;
    const [one] = await readNifti(join(NIBABEL, 'example4d.nii.gz'), { volumes: [last] });
    expect(one.index).toBe(last);
    expect(one.count).toBe(all.length);
    expect(Array.from(one.data.subarray(0, 500))).toEqual(Array.from(all[last].data.subarray(0, 500)));
    await expect(readNifti(join(NIBABEL, 'example4d.nii.gz'), { volumes: [all.length] })).rejects.toThrow(/out of range/);
  });

  it('prefers sform over qform and keeps qform readable', async () => {
    const [v] = await readNifti(join(NIBABEL, 'example4d.nii.gz'));
    if (v.header.sformCode > 0) expect(v.header.affineSource).toBe('sform');
    // The qform rebuilt from the quaternion is a rigid transform with the pixdim voxel sizes.
    const q = v.header.qformAffine;
    const sizes = [0, 1, 2].map((c) => Math.hypot(q[0][c], q[1][c], q[2][c]));
    sizes.forEach((s, i) => expect(s).toBeCloseTo(v.header.pixdim[i], 4));
  });
});

describe('NIfTI header from the beginning of a file', () => {
  it('reads the header of a .nii.gz from its first 4 KiB, same as from the whole file', async () => {
    const { readFileSync } = await import('node:fs');
    const { readNiftiHeader } = await import('../../../../../app/services/imaging/index.js');
    for (const f of ['example4d.nii.gz', 'example_nifti2.nii.gz', 'anatomical.nii']) {
      const whole = new Uint8Array(readFileSync(join(NIBABEL, f)));
      const full = readNiftiHeader(whole, f);
      const head = readNiftiHeader(whole.subarray(0, 4096), f);
      expect(head.dims).toEqual(full.dims);
      expect(head.affine).toEqual(full.affine);
      expect(head.volumeCount).toBe(full.volumeCount);
    }
  });
});
