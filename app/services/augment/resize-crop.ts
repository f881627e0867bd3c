// A crop of a stored volume resampled to the input box, trilinear, with half-voxel-centre alignment
// (source coordinate = start + (o + 0.5) * size / out - 0.5, PyTorch's align_corners=False and MONAI's
// Resize), edges repeated; no anti-aliasing filter (MONAI Resize's default; crops are at most a few times
// the box). Flips are folded into the coordinate tables. The source may be a z-slab of the volume (only the
// slices a crop touches are read from the cache file).
import type { CropBox } from '../../contract/types/data.js';

export interface VolumeSlab {
  /** Stored values q of slices [z0, z0 + data.length / (nx * ny)), x fastest; real value = offset + scale * q. */
  data: Int16Array | Float32Array;
  /** Dims [nx, ny, nz] of the whole volume. */
  dims: [number, number, number];
  z0: number;
  scale: number;
  offset: number;
}

/** The source slices [from, to) that resampling `crop` reads (the crop and its interpolation neighbours). */
export function cropSlabRange(crop: CropBox, nz: number): [number, number] {
  return [Math.max(0, crop.start[2] - 1), Math.min(nz, crop.start[2] + crop.size[2] + 1)];
}

function axisTable(start: number, size: number, out: number, n: number, flip: boolean): { i0: Int32Array; f: Float32Array } {
  const i0 = new Int32Array(out);
  const f = new Float32Array(out);
  const step = size / out;
  for (let o = 0; o < out; o++) {
    let x = start + (o + 0.5) * step - 0.5;
    x = x < 0 ? 0 : x > n - 1 ? n - 1 : x;
    let b = Math.floor(x);
    if (b >= n - 1) b = Math.max(0, n - 2);
    const t = flip ? out - 1 - o : o;
    i0[t] = b;
    f[t] = n > 1 ? x - b : 0;
  }
  return { i0, f };
}

/**
 * Resamples `crop` of `src` to `box` = [d, h, w] (output x fastest: w, then h, then d), flipped along the
 * output axes [x, y, z] where `flip` says so. Returns real values.
 */
export function resizeCrop(src: VolumeSlab, crop: CropBox, box: [number, number, number], flip: [boolean, boolean, boolean] = [false, false, false], out?: Float32Array<ArrayBufferLike>): Float32Array<ArrayBufferLike> {
  const [nx, ny, nz] = src.dims;
  const [d, h, w] = box;
  const res = out ?? new Float32Array(w * h * d);
  const tx = axisTable(crop.start[0], crop.size[0], w, nx, flip[0]);
  const ty = axisTable(crop.start[1], crop.size[1], h, ny, flip[1]);
  const tz = axisTable(crop.start[2], crop.size[2], d, nz, flip[2]);
  const slabZ = src.data.length / (nx * ny);
  if (src.z0 > 0 || slabZ < nz) {
    for (let o = 0; o < d; o++) {
      const lo = tz.i0[o];
      const hi = nz > 1 ? lo + 1 : lo;
      if (lo < src.z0 || hi >= src.z0 + slabZ) throw new RangeError(`crop needs slices ${lo}-${hi}; the slab holds ${src.z0}-${src.z0 + slabZ - 1}`);
    }
  }
  const q = src.data;
  const sx = nx > 1 ? 1 : 0;
  const sy = ny > 1 ? nx : 0;
  const sz = nz > 1 ? nx * ny : 0;
  const { scale, offset } = src;
  let p = 0;
  for (let k = 0; k < d; k++) {
    const zb = (tz.i0[k] - src.z0) * nx * ny;
    const fz = tz.f[k];
    for (let j = 0; j < h; j++) {
      const yb = zb + ty.i0[j] * nx;
      const fy = ty.f[j];
      for (let i = 0; i < w; i++, p++) {
        const a = yb + tx.i0[i];
        const fx = tx.f[i];
        const c00 = q[a] + fx * (q[a + sx] - q[a]);
        const c10 = q[a + sy] + fx * (q[a + sy + sx] - q[a + sy]);
        const c01 = q[a + sz] + fx * (q[a + sz + sx] - q[a + sz]);
        const c11 = q[a + sz + sy] + fx * (q[a + sz + sy + sx] - q[a + sz + sy]);
        const c0 = c00 + fy * (c10 - c00);
        const c1 = c01 + fy * (c11 - c01);
        res[p] = offset + scale * (c0 + fz * (c1 - c0));
      }
    }
  }
  return res;
}
