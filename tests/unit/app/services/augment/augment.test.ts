// Augmentations: seeded streams; crops within their scale/aspect ranges and overlapping as configured;
// resized crops (identity crop = the voxels, flips reverse); 90-degree rotations = numpy.rot90; the
// defaults (flips and rotations off, BYOL's asymmetric blur); each intensity op's effect; and a rendered
// pair depends only on (seed, sample).
import { describe, expect, it } from 'vitest';
import { Random, defaultAugmentConfig, drawPair, drawView, renderView, resizeCrop, resolveAugment } from '../../../../../app/services/augment/index.js';
import { drawCropPair, overlapVoxels } from '../../../../../app/services/augment/crop.js';
import { rotate90 } from '../../../../../app/services/augment/rotate90.js';
import { adjustGamma, meanStd } from '../../../../../app/services/augment/intensity-ops.js';
import { python } from '../preprocess/python.js';

describe('Random', () => {
  it('same keys, same stream; other keys, another stream; sane moments', () => {
    const a = new Random(1, 2, 3);
    const b = new Random(1, 2, 3);
    const c = new Random(1, 2, 4);
    const xa = Array.from({ length: 5 }, () => a.u32());
    expect(Array.from({ length: 5 }, () => b.u32())).toEqual(xa);
    expect(Array.from({ length: 5 }, () => c.u32())).not.toEqual(xa);
    const r = new Random(42);
    let s = 0, s2 = 0, m = 0;
    const N = 200_000;
    for (let i = 0; i < N; i++) {
      const z = r.normal();
      s += z;
      s2 += z * z;
      m += r.uniform();
    }
    expect(Math.abs(s / N)).toBeLessThan(0.01);
    expect(Math.abs(s2 / N - 1)).toBeLessThan(0.02);
    expect(Math.abs(m / N - 0.5)).toBeLessThan(0.005);
    expect([...new Random(9).permutation(10)].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe('crops', () => {
  it('cover scale x the box volume (up to rounding and clamping), aspect within range, overlapping >= minOverlap', () => {
    const cfg = defaultAugmentConfig().crop;
    const dims: [number, number, number] = [90, 108, 80];
    const V = dims[0] * dims[1] * dims[2];
    for (let s = 0; s < 500; s++) {
      const [a, b] = drawCropPair(new Random(7, s), dims, cfg);
      for (const c of [a, b]) {
        for (let i = 0; i < 3; i++) {
          expect(c.start[i]).toBeGreaterThanOrEqual(0);
          expect(c.start[i] + c.size[i]).toBeLessThanOrEqual(dims[i]);
        }
        const frac = (c.size[0] * c.size[1] * c.size[2]) / V;
        expect(frac).toBeGreaterThan(cfg.scale[0] * 0.8);
        expect(frac).toBeLessThanOrEqual(1);
      }
      const va = a.size[0] * a.size[1] * a.size[2];
      const vb = b.size[0] * b.size[1] * b.size[2];
      expect(overlapVoxels(a, b)).toBeGreaterThanOrEqual(cfg.minOverlap * Math.min(va, vb) * 0.999);
    }
  });

  it('when 10 draws do not overlap enough, view 2 is centred on view 1', () => {
    const cfg = { ...defaultAugmentConfig().crop, scale: [0.05, 0.3] as [number, number], minOverlap: 0.7 };
    const dims: [number, number, number] = [90, 108, 80];
    let centred = 0;
    for (let s = 0; s < 300; s++) {
      const [a, b] = drawCropPair(new Random(8, s), dims, cfg);
      const va = a.size[0] * a.size[1] * a.size[2];
      const vb = b.size[0] * b.size[1] * b.size[2];
      if (overlapVoxels(a, b) >= cfg.minOverlap * Math.min(va, vb)) continue;
      centred++;
      for (let i = 0; i < 3; i++) {
        const want = Math.max(0, Math.min(dims[i] - b.size[i], Math.round(a.start[i] + a.size[i] / 2 - b.size[i] / 2)));
        expect(b.start[i]).toBe(want);
      }
    }
    expect(centred).toBeGreaterThan(5);
  });
});

describe('resizeCrop and rotations', () => {
  const dims: [number, number, number] = [6, 5, 4];
  const data = Int16Array.from({ length: 120 }, (_, i) => i * 3 - 100);
  const slab = { data, dims, z0: 0, scale: 0.5, offset: 2 };

  it('an identity crop gives the voxels (real values); a flip reverses the axis', () => {
    const all = { start: [0, 0, 0] as [number, number, number], size: dims };
    const out = resizeCrop(slab, all, [4, 5, 6]);
    expect(Array.from(out)).toEqual(Array.from(data, (q) => 2 + 0.5 * q));
    const flipped = resizeCrop(slab, all, [4, 5, 6], [true, false, false]);
    expect(flipped[0]).toBe(out[5]);
    expect(flipped[5]).toBe(out[0]);
    // a half-size crop upsampled 2x along x: pixel centres at 0.25, 0.75 -> clamped, then interpolated
    const half = resizeCrop(slab, { start: [2, 0, 0], size: [3, 5, 4] }, [4, 5, 6]);
    expect(half[1]).toBeCloseTo(2 + 0.5 * (data[2] + 0.25 * (data[3] - data[2])), 5);
  });

  it('rotate90 equals numpy.rot90 in each plane and turn count', () => {
    const cube: [number, number, number] = [4, 4, 3];
    const v = Float32Array.from({ length: 48 }, (_, i) => i);
    const cases = (['xy', 'xz', 'yz'] as const).flatMap((plane) =>
      [1, 2, 3].map((k) => {
        const d = plane === 'xy' ? cube : ([3, 3, 3] as [number, number, number]);
        const axes = { xy: [0, 1], xz: [0, 2], yz: [1, 2] }[plane];
        return { plane, k, d, axes, v: Array.from(v.subarray(0, d[0] * d[1] * d[2])) };
      }),
    );
    const ref = python<number[][]>(
      `out = []
for c in inp:
    a = np.array(c['v'], dtype=float).reshape(c['d'][::-1]).transpose(2, 1, 0)
    out.append(np.rot90(a, c['k'], axes=tuple(c['axes'])).transpose(2, 1, 0).ravel().tolist())
print(json.dumps(out))`,
      cases,
    );
    cases.forEach((c, i) => expect(Array.from(rotate90(Float32Array.from(c.v), c.d, c.plane, c.k))).toEqual(ref[i]));
  });
});

describe('views', () => {
  it('defaults: flips and rotations off; blur 1.0 / 0.1 (BYOL), noise 0.1 / 0.5', () => {
    const d = defaultAugmentConfig();
    for (const v of [d.view1, d.view2]) {
      expect(v.flip).toEqual([0, 0, 0]);
      expect(v.rotate90).toBe(0);
    }
    expect([d.view1.blur.p, d.view2.blur.p]).toEqual([1, 0.1]);
    expect([d.view1.noise.p, d.view2.noise.p]).toEqual([0.1, 0.5]);
    const crop = { start: [0, 0, 0] as [number, number, number], size: [8, 8, 8] as [number, number, number] };
    let flips = 0, rotations = 0;
    for (let s = 0; s < 300; s++) {
      const v = drawView(new Random(1, s), d.view2, crop, [8, 8, 8]);
      flips += v.flip.filter(Boolean).length;
      rotations += v.rotate90 ? 1 : 0;
    }
    expect([flips, rotations]).toEqual([0, 0]);
    const on = resolveAugment({ view1: { flip: [0.5, 0, 0], rotate90: 1 } });
    const v = drawView(new Random(3), on.view1, crop, [8, 8, 8]);
    expect(v.rotate90).not.toBeNull();
    expect(on.view2.rotate90).toBe(0);
  });

  it('gamma keeps the range; a rendered pair depends only on (seed, sample)', () => {
    const x = Float32Array.from([-1, 0, 0.5, 3]);
    adjustGamma(x, 2);
    expect(x[0]).toBe(-1);
    expect(x[3]).toBe(3);
    expect(x[1]).toBeCloseTo(-1 + 4 * (1 / 4) ** 2, 6);

    const dims: [number, number, number] = [20, 18, 16];
    const data = Int16Array.from({ length: 20 * 18 * 16 }, (_, i) => ((i * 7919) % 1000) - 500);
    const slab = { data, dims, z0: 0, scale: 0.01, offset: 0 };
    const cfg = defaultAugmentConfig();
    const box: [number, number, number] = [8, 8, 8];
    const render = (seed: number, sample: number) => {
      const [d1, d2] = drawPair(seed, sample, dims, cfg, box);
      return [renderView(slab, d1, box, seed, sample, 1), renderView(slab, d2, box, seed, sample, 2)];
    };
    const [a1, a2] = render(5, 9);
    const [b1, b2] = render(5, 9);
    expect(Array.from(a1)).toEqual(Array.from(b1));
    expect(Array.from(a2)).toEqual(Array.from(b2));
    expect(Array.from(render(5, 10)[0])).not.toEqual(Array.from(a1));
    expect(meanStd(a1).std).toBeGreaterThan(0);
  });
});
