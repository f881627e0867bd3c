// Initialisers: Kaiming fan_out std, PyTorch Linear bounds, determinism by (seed, name).
import { describe, expect, it } from 'vitest';
import { constant, kaimingNormalFanOut, linearBiasDefault, linearDefault } from '../../../../native-models/init/initializers.js';

const std = (a: ArrayLike<number>): number => {
  let s = 0, s2 = 0;
  for (let i = 0; i < a.length; i++) { s += a[i]; s2 += a[i] * a[i]; }
  const m = s / a.length;
  return Math.sqrt(s2 / a.length - m * m);
};

describe('initialisers', () => {
  it('Kaiming normal fan_out relu has std sqrt(2 / (out * k^3))', () => {
    const w = kaimingNormalFanOut('layer1.0.conv1.weight', [64, 64, 3, 3, 3], 5);
    expect(w.data.length).toBe(64 * 64 * 27);
    expect(std(w.data as Float32Array) / Math.sqrt(2 / (64 * 27))).toBeCloseTo(1, 1);
    const again = kaimingNormalFanOut('layer1.0.conv1.weight', [64, 64, 3, 3, 3], 5, 'float64');
    expect(again.data[123]).toBeCloseTo(w.data[123] as number, 6);
    const other = kaimingNormalFanOut('layer1.0.conv2.weight', [64, 64, 3, 3, 3], 5);
    expect(other.data[0]).not.toBe(w.data[0]);
  });

  it('Linear default is uniform within 1/sqrt(fan_in)', () => {
    const w = linearDefault('fc.weight', [256, 512], 1);
    const b = linearBiasDefault('fc.bias', 256, 512, 1);
    const bound = 1 / Math.sqrt(512);
    const max = (a: ArrayLike<number>): number => Array.from(a, (v) => Math.abs(v)).reduce((m, x) => Math.max(m, x), 0);
    expect(max(w.data as Float32Array)).toBeLessThanOrEqual(bound * (1 + 1e-6));
    expect(max(w.data as Float32Array)).toBeGreaterThan(0.99 * bound);
    expect(std(w.data as Float32Array)).toBeCloseTo(bound / Math.sqrt(3), 3);
    expect(max(b.data as Float32Array)).toBeLessThanOrEqual(bound * (1 + 1e-6));
    expect(Array.from(constant([3], 1).data as Float32Array)).toEqual([1, 1, 1]);
  });
});
