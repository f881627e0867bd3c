// The canonical output grid of a volume resampled to a target spacing, and the map from its voxels to the
// source's voxels. Same rule as nibabel's `resample_to_output` (nibabel.processing.vox2out_vox): the grid
// is aligned with the RAS+ world axes (so the result is in canonical RAS orientation whatever the source's
// voxel order or obliquity), its first voxel sits at the minimum corner of the source's voxel-centre
// bounding box, and it has ceil(extent / spacing) + 1 voxels per axis. Pure geometry, float64.
import { voxelSizes, type Affine } from '../imaging/index.js';

export type Dims3 = [number, number, number];

export interface Grid {
  /** Voxel counts [x, y, z] (x fastest in memory). */
  dims: Dims3;
  /** Voxel (i, j, k) to RAS+ mm, row-major 4x4. */
  affine: Affine;
}

/** Tolerance on ceil(extent / spacing): an extent that is a whole number of voxels up to rounding is not one more. */
const CEIL_EPS = 1e-6;

/** nibabel's vox2out_vox: the RAS-aligned grid with voxel sizes `spacing` covering the source's voxel centres. */
export function outputGrid(srcDims: Dims3, srcAffine: Affine, spacing: Dims3): Grid {
  const mn = [Infinity, Infinity, Infinity];
  const mx = [-Infinity, -Infinity, -Infinity];
  for (const i of [0, srcDims[0] - 1])
    for (const j of [0, srcDims[1] - 1])
      for (const k of [0, srcDims[2] - 1])
        for (let r = 0; r < 3; r++) {
          const a = srcAffine[r];
          const w = a[0] * i + a[1] * j + a[2] * k + a[3];
          if (w < mn[r]) mn[r] = w;
          if (w > mx[r]) mx[r] = w;
        }
  const dims = [0, 1, 2].map((r) => Math.ceil((mx[r] - mn[r]) / spacing[r] - CEIL_EPS) + 1) as Dims3;
  return {
    dims,
    affine: [
      [spacing[0], 0, 0, mn[0]],
      [0, spacing[1], 0, mn[1]],
      [0, 0, spacing[2], mn[2]],
      [0, 0, 0, 1],
    ],
  };
}

/** Inverse of an affine [R t; 0 1]: [R^-1, -R^-1 t; 0 1] (R by its adjugate). Throws on a singular R. */
export function invertAffine(m: Affine): Affine {
  const [a, b, c] = [m[0][0], m[0][1], m[0][2]];
  const [d, e, f] = [m[1][0], m[1][1], m[1][2]];
  const [g, h, i] = [m[2][0], m[2][1], m[2][2]];
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  if (!Number.isFinite(det) || Math.abs(det) < 1e-12) throw new RangeError(`affine is singular (det ${det})`);
  const r = [
    [(e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det],
    [(f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det],
    [(d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det],
  ];
  const t = [m[0][3], m[1][3], m[2][3]];
  const out = [0, 1, 2].map((row) => [...r[row], -(r[row][0] * t[0] + r[row][1] * t[1] + r[row][2] * t[2])]);
  return [...out, [0, 0, 0, 1]] as Affine;
}

/**
 * Anti-aliasing sigmas (in source voxels) for resampling a source with voxel sizes `srcSpacing` onto a
 * grid of `outSpacing`: scikit-image's rule for `resize(anti_aliasing=True)`,
 * sigma = max(0, (factor - 1) / 2) with factor = output voxel size / input voxel size (skimage.transform
 * ._warps.resize; MONAI's Resize uses the same). The output spacing that applies to source axis c is the
 * one of the world axis that axis runs closest to.
 */
export function antiAliasSigmas(srcAffine: Affine, outSpacing: Dims3): Dims3 {
  const sizes = voxelSizes(srcAffine);
  return [0, 1, 2].map((c) => {
    let best = 0;
    for (let r = 1; r < 3; r++) if (Math.abs(srcAffine[r][c]) > Math.abs(srcAffine[best][c])) best = r;
    const factor = outSpacing[best] / sizes[c];
    return Math.max(0, (factor - 1) / 2);
  }) as Dims3;
}
