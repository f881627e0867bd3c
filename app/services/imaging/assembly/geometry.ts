// Small pure vector / 4x4 matrix helpers for patient geometry (no dependencies).
import type { Affine, Vec3 } from '../types.js';

export const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
export const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
export const add = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
export const scale = (a: Vec3, s: number): Vec3 => [a[0] * s, a[1] * s, a[2] * s];
export const norm = (a: Vec3): number => Math.hypot(a[0], a[1], a[2]);
export const cross = (a: Vec3, b: Vec3): Vec3 => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];
export function normalize(a: Vec3): Vec3 {
  const n = norm(a);
  return n > 0 ? scale(a, 1 / n) : [0, 0, 0];
}

export function identity(): Affine {
  return [
    [1, 0, 0, 0],
    [0, 1, 0, 0],
    [0, 0, 1, 0],
    [0, 0, 0, 1],
  ];
}

export function column(m: Affine, c: number): Vec3 {
  return [m[0][c], m[1][c], m[2][c]];
}

export function matmul(a: Affine, b: Affine): Affine {
  const out = identity();
  for (let r = 0; r < 4; r++)
    for (let c = 0; c < 4; c++) {
      let s = 0;
      for (let k = 0; k < 4; k++) s += a[r][k] * b[k][c];
      out[r][c] = s;
    }
  return out;
}

/** World coordinates of voxel (i, j, k). */
export function applyAffine(m: Affine, v: Vec3): Vec3 {
  return [
    m[0][0] * v[0] + m[0][1] * v[1] + m[0][2] * v[2] + m[0][3],
    m[1][0] * v[0] + m[1][1] * v[1] + m[1][2] * v[2] + m[1][3],
    m[2][0] * v[0] + m[2][1] * v[1] + m[2][2] * v[2] + m[2][3],
  ];
}

export function det3(m: Affine): number {
  return (
    m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
    m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
    m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
  );
}

/** Voxel sizes: lengths of the first three columns. */
export function voxelSizes(m: Affine): Vec3 {
  return [norm(column(m, 0)), norm(column(m, 1)), norm(column(m, 2))];
}

/** True when every column of the rotation is aligned with a world axis (within `tol` of the cosine). */
export function isAxisAligned(m: Affine, tol = 1e-4): boolean {
  for (let c = 0; c < 3; c++) {
    const v = normalize(column(m, c));
    const big = Math.max(Math.abs(v[0]), Math.abs(v[1]), Math.abs(v[2]));
    if (1 - big > tol) return false;
  }
  return true;
}
