import { describe, expect, it } from 'vitest';
import { affineToQuatern, quaternToAffine } from '../../../../../../app/services/imaging/nifti/quaternion.js';
import type { Affine } from '../../../../../../app/services/imaging/types.js';

function rotation(ax: number, ay: number, az: number): number[][] {
  const [cx, sx, cy, sy, cz, sz] = [Math.cos(ax), Math.sin(ax), Math.cos(ay), Math.sin(ay), Math.cos(az), Math.sin(az)];
  const rx = [[1, 0, 0], [0, cx, -sx], [0, sx, cx]];
  const ry = [[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]];
  const rz = [[cz, -sz, 0], [sz, cz, 0], [0, 0, 1]];
  const mul = (a: number[][], b: number[][]) => a.map((r) => [0, 1, 2].map((j) => r[0] * b[0][j] + r[1] * b[1][j] + r[2] * b[2][j]));
  return mul(rz, mul(ry, rx));
}

function affine(r: number[][], sizes: number[], t: number[], flipZ: boolean): Affine {
  const s = [sizes[0], sizes[1], flipZ ? -sizes[2] : sizes[2]];
  return [
    [r[0][0] * s[0], r[0][1] * s[1], r[0][2] * s[2], t[0]],
    [r[1][0] * s[0], r[1][1] * s[1], r[1][2] * s[2], t[1]],
    [r[2][0] * s[0], r[2][1] * s[1], r[2][2] * s[2], t[2]],
    [0, 0, 0, 1],
  ];
}

describe('NIfTI quaternion (nifti1_io.c mat44_to_quatern / quatern_to_mat44)', () => {
  const cases: [string, Affine][] = [
    ['identity', affine(rotation(0, 0, 0), [1, 1, 1], [0, 0, 0], false)],
    ['LAS (dcm2niix axial, det < 0)', affine(rotation(0, 0, 0), [0.8, 0.8, 3], [10, -20, 30], true)],
    ['180 degrees about x (a = 0 branch)', affine(rotation(Math.PI, 0, 0), [1, 2, 3], [1, 2, 3], false)],
    ['180 degrees about y', affine(rotation(0, Math.PI, 0), [1, 1, 1], [0, 0, 0], false)],
    ['180 degrees about z', affine(rotation(0, 0, Math.PI), [1, 1, 1], [0, 0, 0], true)],
    ['oblique', affine(rotation(0.3, -0.7, 1.1), [0.86, 0.86, 7.07], [110.5, -138.8, -43.3], true)],
  ];
  it.each(cases)('%s round-trips', (_name, a) => {
    const q = affineToQuatern(a);
    const back = quaternToAffine(q);
    for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) expect(back[r][c]).toBeCloseTo(a[r][c], 9);
    expect(Math.hypot(q.b, q.c, q.d)).toBeLessThanOrEqual(1 + 1e-12);
  });

  it('qfac is -1 for a negative determinant and voxel sizes are column norms', () => {
    const q = affineToQuatern(affine(rotation(0.1, 0.2, 0.3), [2, 3, 4], [0, 0, 0], true));
    expect(q.qfac).toBe(-1);
    expect([q.dx, q.dy, q.dz].map((v) => Number(v.toFixed(9)))).toEqual([2, 3, 4]);
  });

  it('many random rotations round-trip', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 * Math.PI;
    for (let i = 0; i < 200; i++) {
      const a = affine(rotation(rnd(), rnd(), rnd()), [1, 1.5, 2], [i, -i, 2 * i], i % 2 === 0);
      const back = quaternToAffine(affineToQuatern(a));
      for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) expect(Math.abs(back[r][c] - a[r][c])).toBeLessThan(1e-9);
    }
  });
});
