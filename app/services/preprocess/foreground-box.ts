// The foreground box of a volume: along each axis, the range from the first to the last slice that holds
// foreground (x > threshold), so that empty background slices are dropped (as the BYOL-for-3D recipes and
// MONAI's CropForeground do). A slice counts as empty when less than MIN_SLICE_FRACTION of its voxels are
// foreground, so that a few stray noise voxels do not keep a background slab. When no slice holds foreground
// along an axis, the whole axis is kept.
import type { Dims3 } from './output-grid.js';

/** A slice with fewer foreground voxels than this fraction of its area is empty background. */
export const MIN_SLICE_FRACTION = 0.002;

export interface Box {
  /** First voxel index per axis [x, y, z]. */
  start: Dims3;
  /** Voxel counts per axis. */
  size: Dims3;
}

export function foregroundBox(vol: Float32Array, dims: Dims3, isForeground: (v: number) => boolean): Box {
  const [nx, ny, nz] = dims;
  const counts = [new Float64Array(nx), new Float64Array(ny), new Float64Array(nz)];
  let p = 0;
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++, p++)
        if (isForeground(vol[p])) {
          counts[0][i]++;
          counts[1][j]++;
          counts[2][k]++;
        }
  const area = [ny * nz, nx * nz, nx * ny];
  const start = [0, 0, 0] as Dims3;
  const size = [...dims] as Dims3;
  for (let a = 0; a < 3; a++) {
    const min = Math.max(1, MIN_SLICE_FRACTION * area[a]);
    const c = counts[a];
    let lo = 0;
    while (lo < c.length && c[lo] < min) lo++;
    if (lo === c.length) continue;
    let hi = c.length - 1;
    while (c[hi] < min) hi--;
    start[a] = lo;
    size[a] = hi - lo + 1;
  }
  return { start, size };
}

/** The box's voxels of `vol` as a new array (x fastest). */
export function cropToBox(vol: Float32Array, dims: Dims3, box: Box): Float32Array {
  const [nx, ny] = dims;
  const [bx, by, bz] = box.size;
  const out = new Float32Array(bx * by * bz);
  let p = 0;
  for (let k = 0; k < bz; k++)
    for (let j = 0; j < by; j++) {
      const q = (box.start[2] + k) * nx * ny + (box.start[1] + j) * nx + box.start[0];
      out.set(vol.subarray(q, q + bx), p);
      p += bx;
    }
  return out;
}
