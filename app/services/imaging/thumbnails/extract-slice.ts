// One anatomical slice of a volume in display orientation. The voxel axis closest to each RAS axis is
// found from the affine (as nibabel's io_orientation / dcm2niix's nii_setOrtho pick them), so oblique
// and permuted volumes show the expected plane. Axial/coronal are radiological (patient right on the
// image left); sagittal has anterior on the left; superior/anterior up. sliceToVoxel gives the same mapping as a
// matrix (pixel column, row and slice index -> voxel index), for viewers that read positions and link planes.
import { canonicalLayout } from '../assembly/affine.js';
import type { SliceAxis, SliceImage, Volume } from '../types.js';

interface Plane {
  fixed: number; // world axis held constant: 0 R, 1 A, 2 S
  h: number; // world axis along image columns
  hDescending: boolean;
  v: number; // world axis along image rows (row 0 = largest)
}

const PLANES: Record<SliceAxis, Plane> = {
  axial: { fixed: 2, h: 0, hDescending: true, v: 1 },
  coronal: { fixed: 1, h: 0, hDescending: true, v: 2 },
  sagittal: { fixed: 0, h: 1, hDescending: true, v: 2 },
};

/** index defaults to the middle slice when omitted; t selects the volume of 4-D data (default 0). */
export function extractSlice(volume: Volume, axis: SliceAxis, index?: number, t = 0): SliceImage {
  const layout = canonicalLayout(volume.affine);
  const dims = [volume.dims[0], volume.dims[1], volume.dims[2]];
  const strides = [1, dims[0], dims[0] * dims[1]];
  const nT = volume.dims[3] ?? 1;
  if (t < 0 || t >= nT) throw new RangeError(`volume index ${t} out of range 0..${nT - 1}`);
  const plane = PLANES[axis];
  const fAxis = layout.permute[plane.fixed];
  const hAxis = layout.permute[plane.h];
  const vAxis = layout.permute[plane.v];
  const count = dims[fAxis];
  const idx = index ?? Math.floor(count / 2);
  if (idx < 0 || idx >= count) throw new RangeError(`${axis} slice ${idx} out of range 0..${count - 1}`);
  // Voxel index along a world axis from its ascending canonical index.
  const voxelIndex = (world: number, ci: number) => (layout.flip[world] ? dims[layout.permute[world]] - 1 - ci : ci);
  const width = dims[hAxis];
  const height = dims[vAxis];
  const out = new Float32Array(width * height);
  const slope = volume.sclSlope === 0 || !Number.isFinite(volume.sclSlope) ? 1 : volume.sclSlope;
  const inter = Number.isFinite(volume.sclInter) ? volume.sclInter : 0;
  const comps = volume.components;
  const base = t * dims[0] * dims[1] * dims[2] + voxelIndex(plane.fixed, idx) * strides[fAxis];
  const d = volume.data;
  for (let r = 0; r < height; r++) {
    const vy = voxelIndex(plane.v, height - 1 - r) * strides[vAxis];
    for (let c = 0; c < width; c++) {
      const ci = plane.hDescending ? width - 1 - c : c;
      const p = base + vy + voxelIndex(plane.h, ci) * strides[hAxis];
      out[r * width + c] =
        comps === 3 ? 0.299 * d[3 * p] + 0.587 * d[3 * p + 1] + 0.114 * d[3 * p + 2] : d[p] * slope + inter;
    }
  }
  return {
    width,
    height,
    data: out,
    pixelSize: [volume.spacing[hAxis], volume.spacing[vAxis]],
    axis,
    index: idx,
    count,
  };
}

/**
 * The voxel index of each pixel of extractSlice(volume, axis, slice): [i, j, k] = M [col, row, slice, 1], M 3x4
 * with one +-1 per column of the first three (a signed permutation) and the offsets in the last.
 */
export function sliceToVoxel(volume: Volume, axis: SliceAxis): number[][] {
  const layout = canonicalLayout(volume.affine);
  const dims = [volume.dims[0], volume.dims[1], volume.dims[2]];
  const plane = PLANES[axis];
  const m = [
    [0, 0, 0, 0],
    [0, 0, 0, 0],
    [0, 0, 0, 0],
  ];
  // Canonical (ascending world) index along `world` as a + b * param, then voxelIndex's flip.
  const put = (world: number, param: number, a: number, b: number) => {
    const v = layout.permute[world];
    const n = dims[v];
    const [a2, b2] = layout.flip[world] ? [n - 1 - a, -b] : [a, b];
    m[v][param] = b2;
    m[v][3] += a2;
  };
  const width = dims[layout.permute[plane.h]];
  const height = dims[layout.permute[plane.v]];
  put(plane.h, 0, plane.hDescending ? width - 1 : 0, plane.hDescending ? -1 : 1);
  put(plane.v, 1, height - 1, -1);
  put(plane.fixed, 2, 0, 1);
  return m;
}
