import { describe, expect, it } from 'vitest';
import { FLIP_Y_LAYOUT, applyLayout, canonicalLayout, naturalAffine } from '../../../../../../app/services/imaging/assembly/affine.js';
import { applyAffine } from '../../../../../../app/services/imaging/assembly/geometry.js';
import type { Affine, Vec3 } from '../../../../../../app/services/imaging/types.js';

describe('DICOM affine (PS3.3 C.7.6.2.1.1, LPS -> RAS)', () => {
  // Axial slice: rows along +x (L), columns along +y (P); PixelSpacing [row 0.5, col 0.7].
  const a = naturalAffine([1, 0, 0, 0, 1, 0], [0.5, 0.7], [-100, -120, 30], [0, 0, 1], 2);

  it('voxel (i, j, k) maps to IPP + i*colSpacing*row + j*rowSpacing*col + k*dz*normal, x/y negated', () => {
    const p = applyAffine(a, [2, 3, 4]);
    expect(p).toEqual([-(-100 + 2 * 0.7), -(-120 + 3 * 0.5), 30 + 4 * 2]);
  });

  it('flipY moves the origin to the last row and negates the column axis', () => {
    const { affine, dims } = applyLayout(a, [10, 20, 5], FLIP_Y_LAYOUT);
    expect(dims).toEqual([10, 20, 5]);
    // Output voxel (i, j, k) is natural (i, 19 - j, k): same world point.
    for (const v of [[0, 0, 0], [3, 7, 2], [9, 19, 4]] as Vec3[]) {
      expect(applyAffine(affine, v)).toEqual(applyAffine(a, [v[0], 19 - v[1], v[2]]));
    }
  });

  it('canonical layout of a sagittal stack permutes axes to RAS with positive diagonal', () => {
    // Sagittal: rows along +y (P), columns along -z (I), normal = cross = -x (R in LPS).
    const sag = naturalAffine([0, 1, 0, 0, 0, -1], [1, 1], [50, -100, 100], [-1, 0, 0], 1.5);
    const layout = canonicalLayout(sag);
    const { affine, dims } = applyLayout(sag, [256, 200, 30], layout);
    expect(dims).toEqual([30, 256, 200]);
    for (let r = 0; r < 3; r++) {
      expect(affine[r][r]).toBeGreaterThan(0);
      for (let c = 0; c < 3; c++) if (c !== r) expect(Math.abs(affine[r][c])).toBeLessThan(1e-12);
    }
    // Same world extent: the corner voxels map to corners of the original.
    const corners = (m: Affine, d: number[]) =>
      [0, 1].flatMap((x) => [0, 1].flatMap((y) => [0, 1].map((z) => applyAffine(m, [x * (d[0] - 1), y * (d[1] - 1), z * (d[2] - 1)]).map((v) => Math.round(v * 1e6) / 1e6).join(','))));
    expect(new Set(corners(affine, dims))).toEqual(new Set(corners(sag, [256, 200, 30])));
  });
});
