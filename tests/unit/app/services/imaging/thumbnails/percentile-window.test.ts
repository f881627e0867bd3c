import { describe, expect, it } from 'vitest';
import { percentileWindow, quickselect } from '../../../../../../app/services/imaging/thumbnails/percentile-window.js';
import type { Volume } from '../../../../../../app/services/imaging/index.js';

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

describe('percentileWindow', () => {
  it('agrees with the exact percentiles of every voxel (full sort) on a ramp volume with rescale', () => {
    const dims = [64, 64, 40];
    const n = dims[0] * dims[1] * dims[2];
    const data = Int16Array.from({ length: n }, (_, i) => (i * 7919) % 3000);
    const v = vol(data, dims, 2, -1000);
    const w = percentileWindow(v, 1, 99);
    const all = Float64Array.from(data, (x) => 2 * x - 1000).sort();
    const exact = (p: number) => all[Math.round((p / 100) * (n - 1))];
    expect(Math.abs(w.low - exact(1))).toBeLessThan(0.01 * 6000);
    expect(Math.abs(w.high - exact(99))).toBeLessThan(0.01 * 6000);
    expect(w.low).toBeGreaterThanOrEqual(-1000);
    expect(w.high).toBeLessThanOrEqual(2 * 2999 - 1000);
  });
});

describe('percentileWindow on integer data (counting histogram)', () => {
  // The same stored values as Float32 go through quickselect: both paths must give identical windows.
  const asFloat = (v: Volume): Volume => ({ ...v, data: Float32Array.from(v.data as ArrayLike<number>), datatype: 'float32' });
  let seed = 11;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const dims = [71, 67, 19]; // 90,383 voxels: a sample of every 2nd
  const n = dims[0] * dims[1] * dims[2];
  const kinds: [string, (i: number) => number, new (n: number) => Volume['data']][] = [
    ['int16 with background zeros', (i) => (i % 3 === 0 ? 0 : Math.round(rnd() * 4000 - 1000)), Int16Array],
    ['uint16', () => Math.round(rnd() * 65535), Uint16Array],
    ['int8', () => Math.round(rnd() * 255 - 128), Int8Array],
    ['uint8 constant', () => 42, Uint8Array],
  ];
  for (const [name, gen, Ctor] of kinds) {
    it(`matches quickselect exactly: ${name}, positive and negative slope, 3-D and volume t of 4-D`, () => {
      const data = new Ctor(2 * n);
      for (let i = 0; i < data.length; i++) data[i] = gen(i);
      for (const [slope, inter] of [[1, 0], [2.5, -1024], [-0.5, 10], [0, 3]]) {
        const v: Volume = { ...vol(new Int16Array(0), [...dims, 2], slope, inter), data };
        const f = asFloat(v);
        for (const t of [0, 1]) {
          for (const [lo, hi] of [[1, 99], [0, 100], [5, 95]]) {
            expect(percentileWindow(v, lo, hi, t)).toEqual(percentileWindow(f, lo, hi, t));
          }
        }
      }
    });
  }
});
