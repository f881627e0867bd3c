// Intensity statistics as documented (intensity.ts) against numpy on a real volume (Colin27's middle 40
// axial slices, with nan borders standing in for outside-the-field-of-view voxels), the CT window, and the
// foreground box (foreground-box.ts) on a made-up volume with a blob and stray voxels.
import { beforeAll, describe, expect, it } from 'vitest';
import { readNifti, scaledData } from '../../../../../app/services/imaging/index.js';
import { applyIntensity, intensityStats, percentileSorted } from '../../../../../app/services/preprocess/intensity.js';
import { MIN_SLICE_FRACTION, cropToBox, foregroundBox } from '../../../../../app/services/preprocess/foreground-box.js';
import { python } from './python.js';

let slab: Float32Array;

beforeAll(async () => {
  const [v] = await readNifti('/usr/share/mricron/templates/ch2.nii.gz');
  const all = scaledData(v);
  const plane = 181 * 217;
  slab = all.slice(70 * plane, 110 * plane);
  for (let i = 0; i < plane; i++) slab[i] = NaN; // first slice: outside the field of view
});

describe('intensityStats', () => {
  it('percentileSorted is numpy.percentile (linear)', () => {
    const a = [1, 2, 4, 8, 16, 32, 33];
    const ref = python<number[]>(`print(json.dumps(np.percentile(inp, [0, 0.5, 2, 37.5, 98, 99.5, 100]).tolist()))`, a);
    expect([0, 0.5, 2, 37.5, 98, 99.5, 100].map((q) => percentileSorted(a, q))).toEqual(ref.map((x) => expect.closeTo(x, 12)));
  });

  it('percentile mode: BET threshold, foreground percentiles, z-score of the clipped foreground = numpy', () => {
    const s = intensityStats(slab, 'percentile', [-1000, 1000], [0.5, 99.5]);
    const ref = python<{ t: number; lo: number; hi: number; mean: number; std: number; fg: number; fov: number }>(
      `a = np.array(inp, dtype=np.float64); a = a[np.isfinite(a)]
p2, p98 = np.percentile(a, [2, 98]); t = p2 + 0.1 * (p98 - p2)
fg = a[a > t]; lo, hi = np.percentile(fg, [0.5, 99.5]); c = np.clip(fg, lo, hi)
print(json.dumps(dict(t=t, lo=lo, hi=hi, mean=c.mean(), std=c.std(), fg=int(fg.size), fov=int(a.size))))`,
      Array.from(slab, (x) => (Number.isNaN(x) ? null : x)).map((x) => x ?? NaN),
    );
    expect(s.threshold).toBeCloseTo(ref.t, 4);
    expect(s.low).toBeCloseTo(ref.lo, 4);
    expect(s.high).toBeCloseTo(ref.hi, 4);
    expect(s.shift).toBeCloseTo(ref.mean, 4);
    expect(s.divisor).toBeCloseTo(ref.std, 4);
    expect(s.foregroundVoxels).toBe(ref.fg);
    expect(s.fieldOfViewVoxels).toBe(ref.fov);
    // after normalisation the clipped foreground has mean 0 and std 1; outside the field of view: the low bound
    const v = slab.slice();
    applyIntensity(v, s);
    let sum = 0, ss = 0, k = 0;
    for (let i = 0; i < v.length; i++) {
      if (Number.isNaN(slab[i]) || !(slab[i] > s.threshold)) continue;
      sum += v[i];
      ss += v[i] * v[i];
      k++;
    }
    expect(sum / k).toBeCloseTo(0, 4);
    expect(Math.sqrt(ss / k - (sum / k) ** 2)).toBeCloseTo(1, 4);
    expect(v[0]).toBeCloseTo((s.low - s.shift) / s.divisor, 5);
  });

  it('CT mode: the HU window scaled to [0, 1], foreground above -500 HU', () => {
    const hu = Float32Array.from([-3024, -1000, -600, -400, 0, 40, 1000, 3000, NaN]);
    const s = intensityStats(hu, 'ct', [-1000, 1000], [0.5, 99.5]);
    expect(s).toMatchObject({ low: -1000, high: 1000, shift: -1000, divisor: 2000, threshold: -500, foregroundVoxels: 5, fieldOfViewVoxels: 8 });
    applyIntensity(hu, s);
    expect(Array.from(hu)).toEqual([0, 0, 0.2, 0.3, 0.5, 0.52, 1, 1, 0].map((x) => expect.closeTo(x, 6)));
  });
});

describe('foregroundBox', () => {
  it('keeps the slices that hold foreground, drops slices with only stray voxels', () => {
    const dims: [number, number, number] = [40, 30, 20];
    const v = new Float32Array(40 * 30 * 20);
    const at = (x: number, y: number, z: number) => x + 40 * (y + 30 * z);
    for (let z = 5; z < 15; z++) for (let y = 8; y < 20; y++) for (let x = 10; x < 33; x++) v[at(x, y, z)] = 1;
    v[at(0, 0, 0)] = 1; // one stray voxel: below MIN_SLICE_FRACTION of any slice through it
    expect(1 / (40 * 30)).toBeLessThan(MIN_SLICE_FRACTION);
    const box = foregroundBox(v, dims, (x) => x > 0.5);
    expect(box).toEqual({ start: [10, 8, 5], size: [23, 12, 10] });
    const c = cropToBox(v, dims, box);
    expect(c).toHaveLength(23 * 12 * 10);
    expect(c.every((x) => x === 1)).toBe(true);
    // an empty volume keeps everything
    expect(foregroundBox(new Float32Array(v.length), dims, (x) => x > 0.5)).toEqual({ start: [0, 0, 0], size: dims });
  });
});
