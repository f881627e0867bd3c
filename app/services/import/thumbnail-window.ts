// The display window of import thumbnails: the 1st and 99th percentiles of the volume's real values,
// estimated from an evenly strided sample of at most 32768 voxels with quickselect (Hoare's FIND,
// O(n) expected) instead of sorting. Adapter over the imaging core's thumbnail code: its
// renderThumbnails sorts 200,000 samples per volume, which profiled at half of all CPU time of an
// import of 40 series (2.3 s of 4.4 s); the slices and the 8-bit resampling stay the imaging core's.
import { extractSlice, windowTo8bit, type Thumbnails, type Volume } from '../imaging/index.js';

const MAX_SAMPLES = 32768;

/** k-th smallest of a[0..n) (0-based), partially reordering a. */
export function quickselect(a: Float64Array, k: number, n = a.length): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

/** Percentile window [low, high] of volume `t`'s real values (scl applied; luminance for RGB). */
export function sampledWindow(volume: Volume, lowP = 1, highP = 99, t = 0): { low: number; high: number } {
  const comps = volume.components;
  const n = volume.dims[0] * volume.dims[1] * volume.dims[2];
  const base = t * n;
  const step = Math.max(1, Math.floor(n / MAX_SAMPLES));
  const slope = volume.sclSlope === 0 || !Number.isFinite(volume.sclSlope) ? 1 : volume.sclSlope;
  const inter = Number.isFinite(volume.sclInter) ? volume.sclInter : 0;
  const d = volume.data;
  const s = new Float64Array(Math.ceil(n / step));
  let k = 0;
  for (let i = 0; i < n; i += step) {
    const p = base + i;
    const v = comps === 3 ? 0.299 * d[3 * p] + 0.587 * d[3 * p + 1] + 0.114 * d[3 * p + 2] : d[p] * slope + inter;
    if (Number.isFinite(v)) s[k++] = v;
  }
  if (k === 0) return { low: 0, high: 1 };
  const rank = (p: number) => Math.min(k - 1, Math.max(0, Math.round((p / 100) * (k - 1))));
  const high = quickselect(s, rank(highP), k);
  const low = quickselect(s, rank(lowP), k);
  return { low, high };
}

/** Axial, coronal and sagittal mid-slice thumbnails, at most `size` pixels on the long side. */
export function thumbnailsOf(volume: Volume, size = 128, t = 0): Thumbnails {
  const { low, high } = sampledWindow(volume, 1, 99, t);
  const make = (axis: 'axial' | 'coronal' | 'sagittal') => windowTo8bit(extractSlice(volume, axis, undefined, t), low, high, size);
  return { axial: make('axial'), coronal: make('coronal'), sagittal: make('sagittal'), window: { low, high } };
}
