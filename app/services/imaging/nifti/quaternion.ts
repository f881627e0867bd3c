// Affine <-> NIfTI-1 quaternion representation (qform). Re-implements nifti1_io.c's
// nifti_mat44_to_quatern (with its polar decomposition step, nifti_mat33_polar) and nifti_quatern_to_mat44,
// as specified in the NIfTI-1 header documentation (nifti1.h, "METHOD 2"): R from quaternion (a,b,c,d)
// with a = sqrt(1 - b^2 - c^2 - d^2) >= 0, pixdim[0] = qfac = +/-1 flips the third axis.
import type { Affine } from '../types.js';

export interface Quatern {
  b: number;
  c: number;
  d: number;
  qx: number;
  qy: number;
  qz: number;
  dx: number;
  dy: number;
  dz: number;
  /** pixdim[0]: -1 when the affine has a left-handed (negative determinant) rotation. */
  qfac: 1 | -1;
}

type M3 = number[][];

function det33(m: M3): number {
  return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
}

function inverseTranspose33(m: M3): M3 {
  const d = det33(m);
  const c = (r0: number, c0: number, r1: number, c1: number) => m[r0][c0] * m[r1][c1] - m[r0][c1] * m[r1][c0];
  // Cofactor matrix / det = inverse transpose.
  return [
    [c(1, 1, 2, 2) / d, -c(1, 0, 2, 2) / d, c(1, 0, 2, 1) / d],
    [-c(0, 1, 2, 2) / d, c(0, 0, 2, 2) / d, -c(0, 0, 2, 1) / d],
    [c(0, 1, 1, 2) / d, -c(0, 0, 1, 2) / d, c(0, 0, 1, 1) / d],
  ];
}

/** Orthogonal polar factor (nifti_mat33_polar): iterate X <- (X + X^-T) / 2. */
function polar(m: M3): M3 {
  let x = m.map((r) => [...r]);
  for (let k = 0; k < 100; k++) {
    const y = inverseTranspose33(x);
    const next = x.map((r, i) => r.map((v, j) => 0.5 * (v + y[i][j])));
    let diff = 0;
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) diff += Math.abs(next[i][j] - x[i][j]);
    x = next;
    if (diff < 1e-12) break;
  }
  return x;
}

export function affineToQuatern(affine: Affine): Quatern {
  const qx = affine[0][3];
  const qy = affine[1][3];
  const qz = affine[2][3];
  const r: M3 = [0, 1, 2].map((i) => [affine[i][0], affine[i][1], affine[i][2]]);
  const len = [0, 1, 2].map((j) => Math.hypot(r[0][j], r[1][j], r[2][j]));
  for (let j = 0; j < 3; j++) {
    if (len[j] === 0) {
      len[j] = 1;
      for (let i = 0; i < 3; i++) r[i][j] = i === j ? 1 : 0;
    } else {
      for (let i = 0; i < 3; i++) r[i][j] /= len[j];
    }
  }
  const p = polar(r);
  let qfac: 1 | -1 = 1;
  if (det33(p) <= 0) {
    qfac = -1;
    for (let i = 0; i < 3; i++) p[i][2] = -p[i][2];
  }
  const [r11, r12, r13] = p[0];
  const [r21, r22, r23] = p[1];
  const [r31, r32, r33] = p[2];
  let a = r11 + r22 + r33 + 1;
  let b: number;
  let c: number;
  let d: number;
  if (a > 0.5) {
    a = 0.5 * Math.sqrt(a);
    b = (0.25 * (r32 - r23)) / a;
    c = (0.25 * (r13 - r31)) / a;
    d = (0.25 * (r21 - r12)) / a;
  } else {
    const xd = 1 + r11 - (r22 + r33);
    const yd = 1 + r22 - (r11 + r33);
    const zd = 1 + r33 - (r11 + r22);
    if (xd > 1) {
      b = 0.5 * Math.sqrt(xd);
      c = (0.25 * (r12 + r21)) / b;
      d = (0.25 * (r13 + r31)) / b;
      a = (0.25 * (r32 - r23)) / b;
    } else if (yd > 1) {
      c = 0.5 * Math.sqrt(yd);
      b = (0.25 * (r12 + r21)) / c;
      d = (0.25 * (r23 + r32)) / c;
      a = (0.25 * (r13 - r31)) / c;
    } else {
      d = 0.5 * Math.sqrt(zd);
      b = (0.25 * (r13 + r31)) / d;
      c = (0.25 * (r23 + r32)) / d;
      a = (0.25 * (r21 - r12)) / d;
    }
    if (a < 0) {
      b = -b;
      c = -c;
      d = -d;
    }
  }
  return { b, c, d, qx, qy, qz, dx: len[0], dy: len[1], dz: len[2], qfac };
}

export function quaternToAffine(q: Quatern): Affine {
  let { b, c, d } = q;
  let a = 1 - (b * b + c * c + d * d);
  if (a < 1e-7) {
    a = 1 / Math.sqrt(b * b + c * c + d * d);
    b *= a;
    c *= a;
    d *= a;
    a = 0;
  } else {
    a = Math.sqrt(a);
  }
  const xd = q.dx > 0 ? q.dx : 1;
  const yd = q.dy > 0 ? q.dy : 1;
  const zd = (q.dz > 0 ? q.dz : 1) * (q.qfac < 0 ? -1 : 1);
  return [
    [(a * a + b * b - c * c - d * d) * xd, 2 * (b * c - a * d) * yd, 2 * (b * d + a * c) * zd, q.qx],
    [2 * (b * c + a * d) * xd, (a * a + c * c - b * b - d * d) * yd, 2 * (c * d - a * b) * zd, q.qy],
    [2 * (b * d - a * c) * xd, 2 * (c * d + a * b) * yd, (a * a + d * d - c * c - b * b) * zd, q.qz],
    [0, 0, 0, 1],
  ];
}
