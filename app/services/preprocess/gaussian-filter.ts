// Separable Gaussian filtering of a 3-D Float32 volume (x fastest), in place, with the semantics of
// scipy.ndimage.gaussian_filter(mode='nearest', truncate=4.0): per axis a normalised kernel
// exp(-x^2 / (2 sigma^2)) on x = -r..r with r = floor(truncate * sigma + 0.5)
// (scipy.ndimage._filters._gaussian_kernel1d), the edge sample repeated beyond the border; an axis with
// sigma 0 is left alone. Sums in float64. Used as the anti-aliasing pre-filter of the preprocessing
// resampler and by the blur augmentation.
// Memory: the y and z passes run over whole rows / planes (contiguous inner loops) and keep only a ring
// of r + 1 original rows / planes, not a second volume.
import type { Dims3 } from './output-grid.js';

export function gaussianKernel(sigma: number, truncate = 4): Float64Array {
  const r = Math.floor(truncate * sigma + 0.5);
  const k = new Float64Array(2 * r + 1);
  let sum = 0;
  for (let x = -r; x <= r; x++) sum += k[x + r] = Math.exp((-0.5 / (sigma * sigma)) * x * x);
  for (let i = 0; i < k.length; i++) k[i] /= sum;
  return k;
}

/** Filters `data` (dims [nx, ny, nz], x fastest) in place with per-axis sigmas in voxels. */
export function gaussianFilter3d(data: Float32Array<ArrayBufferLike>, dims: Dims3, sigmas: Dims3, truncate = 4): void {
  const [nx, ny, nz] = dims;
  for (let axis = 0; axis < 3; axis++) {
    const sigma = sigmas[axis];
    if (!(sigma > 1e-15) || dims[axis] < 2) continue;
    const kernel = gaussianKernel(sigma, truncate);
    if (axis === 0) filterLines(data, nx, ny * nz, kernel);
    else if (axis === 1) filterBlocks(data, nz, ny, nx, kernel);
    else filterBlocks(data, 1, nz, nx * ny, kernel);
  }
}

/** Axis 0: `count` contiguous lines of length n. */
function filterLines(data: Float32Array<ArrayBufferLike>, n: number, count: number, k: Float64Array): void {
  const r = (k.length - 1) >> 1;
  const last = n - 1;
  const line = new Float64Array(n);
  for (let l = 0, base = 0; l < count; l++, base += n) {
    for (let i = 0; i < n; i++) line[i] = data[base + i];
    for (let i = 0; i < n; i++) {
      let s = 0;
      if (i >= r && i + r <= last) {
        for (let j = 0, q = i - r; j < k.length; j++, q++) s += k[j] * line[q];
      } else {
        for (let j = 0; j < k.length; j++) {
          const q = i + j - r;
          s += k[j] * line[q < 0 ? 0 : q > last ? last : q];
        }
      }
      data[base + i] = s;
    }
  }
}

/**
 * An axis of length n whose samples are blocks of `inner` contiguous values, repeated `outer` times:
 * output block i = sum_j k[j] * input block clamp(i + j - r). Blocks below i are already overwritten, so
 * the last r + 1 original blocks are kept in a ring.
 */
function filterBlocks(data: Float32Array<ArrayBufferLike>, outer: number, n: number, inner: number, k: Float64Array): void {
  const r = (k.length - 1) >> 1;
  const last = n - 1;
  const slots = r + 1;
  const ring = new Float32Array(slots * inner);
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner;
    for (let i = 0; i < n; i++) {
      // Keep the original block i before it is overwritten.
      ring.set(data.subarray(base + i * inner, base + (i + 1) * inner), (i % slots) * inner);
      acc.fill(0);
      for (let j = 0; j < k.length; j++) {
        let m = i + j - r;
        m = m < 0 ? 0 : m > last ? last : m;
        const w = k[j];
        const src = m <= i ? ring : data;
        const off = m <= i ? (m % slots) * inner : base + m * inner;
        for (let x = 0; x < inner; x++) acc[x] += w * src[off + x];
      }
      for (let x = 0; x < inner; x++) data[base + i * inner + x] = acc[x];
    }
  }
}
