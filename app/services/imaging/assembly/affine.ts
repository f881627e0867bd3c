// Voxel-to-RAS affine of a DICOM stack, and dcm2niix's on-disk voxel layout.
// Natural DICOM layout: i = column index, j = row index, k = slice (ascending along the normal).
// PS3.3 C.7.6.2.1.1: P(i,j) = IPP + i * colSpacing * rowCosines + j * rowSpacing * colCosines, where
// PixelSpacing = [rowSpacing (between rows), colSpacing (between columns)]. Slice axis = normal * dz with
// dz measured from positions (never SliceThickness / SpacingBetweenSlices). DICOM patient space is LPS;
// NIfTI is RAS, so the first two rows are negated (as dcm2niix's set_nii_header_x / nifti_dicom2mat).
// dcm2niix then flips rows (opts.isFlipY, default) so images are stored bottom-up, except 3-D MR
// acquisitions (not EPI) which it rotates to the closest canonical orientation (nii_setOrtho).
import type { Affine, Orientation6, Vec3, VoxelLayout } from '../types.js';
import { column, identity, voxelSizes } from './geometry.js';

export type { VoxelLayout };

export const IDENTITY_LAYOUT: VoxelLayout = { permute: [0, 1, 2], flip: [false, false, false] };
export const FLIP_Y_LAYOUT: VoxelLayout = { permute: [0, 1, 2], flip: [false, true, false] };

export function naturalAffine(orientation: Orientation6, pixelSpacing: [number, number], origin: Vec3, normal: Vec3, dz: number): Affine {
  const [rowSp, colSp] = pixelSpacing;
  const r: Vec3 = [orientation[0], orientation[1], orientation[2]];
  const c: Vec3 = [orientation[3], orientation[4], orientation[5]];
  const lps: Affine = [
    [r[0] * colSp, c[0] * rowSp, normal[0] * dz, origin[0]],
    [r[1] * colSp, c[1] * rowSp, normal[1] * dz, origin[1]],
    [r[2] * colSp, c[2] * rowSp, normal[2] * dz, origin[2]],
    [0, 0, 0, 1],
  ];
  for (let col = 0; col < 4; col++) {
    lps[0][col] = -lps[0][col];
    lps[1][col] = -lps[1][col];
  }
  return lps;
}

/** Affine after re-laying voxels of natural dims `dims` by `layout`. */
export function applyLayout(affine: Affine, dims: [number, number, number], layout: VoxelLayout): { affine: Affine; dims: [number, number, number] } {
  const out = identity();
  const start: Vec3 = [0, 0, 0];
  const outDims: [number, number, number] = [0, 0, 0];
  for (let i = 0; i < 3; i++) {
    const src = layout.permute[i];
    const sign = layout.flip[i] ? -1 : 1;
    for (let r = 0; r < 3; r++) out[r][i] = affine[r][src] * sign;
    if (layout.flip[i]) start[src] = dims[src] - 1;
    outDims[i] = dims[src];
  }
  for (let r = 0; r < 3; r++) {
    out[r][3] = affine[r][0] * start[0] + affine[r][1] * start[1] + affine[r][2] * start[2] + affine[r][3];
  }
  return { affine: out, dims: outDims };
}

/** Layout that brings the affine closest to RAS with positive axes (as dcm2niix's nii_setOrtho). */
export function canonicalLayout(affine: Affine): VoxelLayout {
  // Greedy: repeatedly take the largest remaining |a[world][voxel]| and pair them.
  const used = new Set<number>();
  const worldUsed = new Set<number>();
  const permute: [number, number, number] = [0, 1, 2];
  const flip: [boolean, boolean, boolean] = [false, false, false];
  const sizes = voxelSizes(affine);
  for (let step = 0; step < 3; step++) {
    let best = -1;
    let bw = 0;
    let bv = 0;
    for (let w = 0; w < 3; w++) {
      if (worldUsed.has(w)) continue;
      for (let v = 0; v < 3; v++) {
        if (used.has(v)) continue;
        const mag = Math.abs(affine[w][v]) / (sizes[v] || 1);
        if (mag > best) {
          best = mag;
          bw = w;
          bv = v;
        }
      }
    }
    used.add(bv);
    worldUsed.add(bw);
    permute[bw] = bv;
    flip[bw] = affine[bw][bv] < 0;
  }
  return { permute, flip };
}

/** Composition: first `a` (natural -> intermediate), then `b` on the result. */
export function composeLayouts(a: VoxelLayout, b: VoxelLayout): VoxelLayout {
  const permute: [number, number, number] = [0, 1, 2];
  const flip: [boolean, boolean, boolean] = [false, false, false];
  for (let i = 0; i < 3; i++) {
    permute[i] = a.permute[b.permute[i]];
    flip[i] = a.flip[b.permute[i]] !== b.flip[i];
  }
  return { permute, flip };
}

export function sliceDirectionColumn(affine: Affine): Vec3 {
  return column(affine, 2);
}
