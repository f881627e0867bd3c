import { describe, expect, it } from 'vitest';
import { quickselect, sampledWindow } from '../../../../../app/services/import/thumbnail-window.js';
import { percentileWindow } from '../../../../../app/services/imaging/thumbnails/render-thumbnails.js';
import type { Volume } from '../../../../../app/services/imaging/index.js';

function vol(data: Int16Array, dims: number[], slope = 1, inter = 0): Volume {
  const eye = [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]] as Volume['affine'];
  return { dims, data, datatype: 'int16', components: 1, affine: eye, spacing: [1, 1, 1], sclSlope: slope, sclInter: inter };
}

describe('quickselect', () => {
  it('finds the k-th smallest like a sort does', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 1000 - 500;
    for (const n of [1, 2, 3, 10, 101, 1000]) {
      const a = Float64Array.from({ length: n }, () => Math.round(rnd()));
      const sorted = [...a].sort((x, y) => x - y);
      for (const k of [0, n >> 1, n - 1]) expect(quickselect(Float64Array.from(a), k)).toBe(sorted[k]);
    }
  });
});

describe('sampledWindow', () => {
  it('agrees with the imaging core percentile window on a ramp volume with rescale', () => {
    const dims = [64, 64, 40];
    const n = dims[0] * dims[1] * dims[2];
    const data = Int16Array.from({ length: n }, (_, i) => (i * 7919) % 3000);
    const v = vol(data, dims, 2, -1000);
    const ours = sampledWindow(v, 1, 99);
    const core = percentileWindow(v, 1, 99);
    expect(Math.abs(ours.low - core.low)).toBeLessThan(0.01 * 6000);
    expect(Math.abs(ours.high - core.high)).toBeLessThan(0.01 * 6000);
    expect(ours.low).toBeGreaterThanOrEqual(-1000);
    expect(ours.high).toBeLessThanOrEqual(2 * 2999 - 1000);
  });
});
