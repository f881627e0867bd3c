// The preprocessing filters against scipy on small volumes: gaussianFilter3d = scipy.ndimage.gaussian_filter
// (mode 'nearest', truncate 4) with anisotropic sigmas, a zero sigma and a kernel wider than the axis;
// resampleWith = scipy.ndimage.affine_transform(order=1, mode='constant', cval=nan) for a rotated, scaled,
// shifted map, including points outside the source (nan) and on its edges.
import { describe, expect, it } from 'vitest';
import { gaussianFilter3d, gaussianKernel } from '../../../../../app/services/preprocess/gaussian-filter.js';
import { resampleWith } from '../../../../../app/services/preprocess/resample.js';
import { python } from './python.js';

const dims: [number, number, number] = [9, 7, 5];
const n = dims[0] * dims[1] * dims[2];
// a smooth ramp plus a deterministic pseudo-random texture
const volume = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898) * 43758.5453 % 1 + i / n);

describe('gaussianFilter3d', () => {
  it('kernel: normalised, radius floor(4 sigma + 0.5)', () => {
    expect(gaussianKernel(0.5)).toHaveLength(5);
    expect(gaussianKernel(1.5)).toHaveLength(13);
    expect(gaussianKernel(1.5).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('equals scipy.ndimage.gaussian_filter(mode=nearest)', () => {
    for (const sigmas of [
      [0.5, 1.2, 0],
      [2.5, 0.7, 3.0],
    ] as [number, number, number][]) {
      const ours = volume.slice();
      gaussianFilter3d(ours, dims, sigmas);
      const ref = python<number[]>(
        `import scipy.ndimage as ndi
a = np.array(inp['v'], dtype=np.float64).reshape(inp['dims'][::-1]).transpose(2, 1, 0)
r = ndi.gaussian_filter(a, inp['sigmas'], mode='nearest', truncate=4.0)
print(json.dumps(r.transpose(2, 1, 0).ravel().tolist()))`,
        { v: Array.from(volume), dims, sigmas },
      );
      let max = 0;
      for (let i = 0; i < n; i++) max = Math.max(max, Math.abs(ours[i] - ref[i]));
      expect(max).toBeLessThan(1e-6);
    }
  });
});

describe('resampleWith (trilinear, map_coordinates order 1)', () => {
  it('equals scipy.ndimage.affine_transform(order=1, mode=constant, cval=nan)', () => {
    const c = Math.cos(0.3), s = Math.sin(0.3);
    // output voxel -> source voxel: rotation about z, scale 0.8, shift; some points fall outside
    const m = [
      [0.8 * c, -0.8 * s, 0, 1.3],
      [0.8 * s, 0.8 * c, 0, -0.7],
      [0, 0, 0.9, 0.25],
      [0, 0, 0, 1],
    ] as [[number, number, number, number], [number, number, number, number], [number, number, number, number], [number, number, number, number]];
    const out: [number, number, number] = [11, 9, 6];
    const ours = resampleWith(volume, dims, m, out);
    const ref = python<(number | null)[]>(
      `import scipy.ndimage as ndi
a = np.array(inp['v'], dtype=np.float64).reshape(inp['dims'][::-1]).transpose(2, 1, 0)
m = np.array(inp['m'])
r = ndi.affine_transform(a, m[:3, :3], m[:3, 3], output_shape=tuple(inp['out']), order=1, mode='constant', cval=np.nan)
print(json.dumps([None if np.isnan(x) else x for x in r.transpose(2, 1, 0).ravel().tolist()]))`,
      { v: Array.from(volume), dims, m, out },
    );
    let nan = 0;
    let max = 0;
    for (let i = 0; i < ours.length; i++) {
      const r = ref[i];
      if (r === null) {
        expect(Number.isNaN(ours[i])).toBe(true);
        nan++;
      } else max = Math.max(max, Math.abs(ours[i] - r));
    }
    expect(nan).toBeGreaterThan(10); // the test covers points outside the source
    expect(nan).toBeLessThan(ours.length - 100);
    expect(max).toBeLessThan(1e-6);
  });

  it('points exactly on the last voxel centre interpolate; beyond it they get cval', () => {
    const id = [
      [1, 0, 0, 0],
      [0, 1, 0, 0],
      [0, 0, 1, 0],
      [0, 0, 0, 1],
    ] as Parameters<typeof resampleWith>[2];
    const same = resampleWith(volume, dims, id, dims, -5);
    expect(Array.from(same)).toEqual(Array.from(volume));
    const shifted = resampleWith(volume, dims, [[1, 0, 0, 0.5], id[1], id[2], id[3]], dims, -5);
    expect(shifted[dims[0] - 1]).toBe(-5); // x = 8.5 > 8
    expect(shifted[0]).toBeCloseTo((volume[0] + volume[1]) / 2, 6);
  });
});
