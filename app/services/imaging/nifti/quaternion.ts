// Affine <-> NIfTI-1 quaternion (nifti1_io.c mat44_to_quatern / quatern_to_mat44). Not implemented yet.
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

export function affineToQuatern(affine: Affine): Quatern {
  void affine;
  throw new Error('not implemented');
}

export function quaternToAffine(q: Quatern): Affine {
  void q;
  throw new Error('not implemented');
}
