// Modality-aware intensity normalisation of a resampled volume (real values; NaN marks voxels outside the
// source's field of view), and the foreground it is measured on.
//
// CT ('ct'): clip to a HU window [low, high] (default [-1000, 1000]) and scale to [0, 1]: (clip(x) - low) /
//   (high - low), as MONAI's ScaleIntensityRange(a_min=-1000, a_max=1000, b_min=0, b_max=1) in the
//   Swin UNETR / self-supervised CT recipes. Foreground: x > -500 HU (tissue, not air).
// Others ('percentile', MR, PET, NIfTI without modality): the foreground is x > t with
//   t = p2 + 0.1 (p98 - p2), the "robust threshold" of FSL BET (Smith 2002, Hum Brain Mapp 17:143) over
//   every voxel in the field of view; values are clipped to the foreground's [pLow, pHigh] percentiles
//   (default 0.5 and 99.5) and z-scored with the mean and the standard deviation (ddof 0) of the clipped
//   foreground values: (clip(x) - mean) / std. Percentiles interpolate linearly between order statistics
//   (numpy.percentile's default 'linear' method).
// Voxels outside the field of view become the normalised value of the low clip bound (background).
export type IntensityMode = 'ct' | 'percentile';

export interface IntensityStats {
  mode: IntensityMode;
  /** Clip bounds, in source units (HU for CT). */
  low: number;
  high: number;
  /** normalised = (clip(x) - shift) / divisor. CT: low and high - low; others: foreground mean and std. */
  shift: number;
  divisor: number;
  /** Foreground threshold in source units (x > threshold is foreground). */
  threshold: number;
  /** Voxels above the threshold, and voxels inside the field of view. */
  foregroundVoxels: number;
  fieldOfViewVoxels: number;
}

/** Foreground threshold of CT in HU. */
export const CT_FOREGROUND_HU = -500;

/** numpy.percentile(sorted, q) with the default 'linear' method, for an ascending array. */
export function percentileSorted(sorted: ArrayLike<number>, q: number, from = 0, to = sorted.length): number {
  const n = to - from;
  if (n <= 0) return NaN;
  const h = ((n - 1) * q) / 100;
  const lo = Math.floor(h);
  const a = sorted[from + lo];
  if (lo + 1 >= n) return a;
  return a + (h - lo) * (sorted[from + lo + 1] - a);
}

export function intensityStats(vol: Float32Array, mode: IntensityMode, ctWindow: [number, number], percentiles: [number, number]): IntensityStats {
  if (mode === 'ct') {
    const [low, high] = ctWindow;
    let fov = 0;
    let fg = 0;
    for (let i = 0; i < vol.length; i++) {
      const v = vol[i];
      if (v === v) {
        fov++;
        if (v > CT_FOREGROUND_HU) fg++;
      }
    }
    return { mode, low, high, shift: low, divisor: high - low, threshold: CT_FOREGROUND_HU, foregroundVoxels: fg, fieldOfViewVoxels: fov };
  }
  let n = 0;
  for (let i = 0; i < vol.length; i++) if (vol[i] === vol[i]) n++;
  const sorted = new Float32Array(n);
  for (let i = 0, k = 0; i < vol.length; i++) if (vol[i] === vol[i]) sorted[k++] = vol[i];
  sorted.sort();
  if (n === 0) return { mode, low: 0, high: 0, shift: 0, divisor: 1, threshold: 0, foregroundVoxels: 0, fieldOfViewVoxels: 0 };
  const p2 = percentileSorted(sorted, 2);
  const p98 = percentileSorted(sorted, 98);
  const threshold = p2 + 0.1 * (p98 - p2);
  // Foreground values are the suffix of the sorted array above the threshold (all voxels when none is).
  let first = upperBound(sorted, threshold);
  const fg = n - first;
  if (first >= n) first = 0;
  const low = percentileSorted(sorted, percentiles[0], first, n);
  const high = percentileSorted(sorted, percentiles[1], first, n);
  let sum = 0;
  for (let i = first; i < n; i++) sum += clip(sorted[i], low, high);
  const mean = sum / (n - first);
  let ss = 0;
  for (let i = first; i < n; i++) {
    const d = clip(sorted[i], low, high) - mean;
    ss += d * d;
  }
  const std = Math.sqrt(ss / (n - first));
  return { mode, low, high, shift: mean, divisor: std > 0 ? std : 1, threshold, foregroundVoxels: fg, fieldOfViewVoxels: n };
}

/** Normalises `vol` in place (NaN -> the normalised low bound). */
export function applyIntensity(vol: Float32Array, s: IntensityStats): void {
  const inv = 1 / s.divisor;
  const background = (s.low - s.shift) * inv;
  for (let i = 0; i < vol.length; i++) {
    const v = vol[i];
    vol[i] = v === v ? (clip(v, s.low, s.high) - s.shift) * inv : background;
  }
}

function clip(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/** First index whose value is > t in an ascending array. */
function upperBound(a: Float32Array, t: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
