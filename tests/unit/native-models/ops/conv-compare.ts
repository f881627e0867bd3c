// Shared by the conv formulation tests (conv-nchwc, conv-depth2d, conv-nchwc-nc): seeded normal inputs, and the
// comparison of a formulation's output with ORT's Conv (relative to the reference's largest magnitude).
import { expect } from 'vitest';
import { makeRandom } from '../../../../native-models/autodiff/grad-check.js';
import { tensor, type TensorData } from '../../../../native-models/ir/tensor.js';

/** A float32 tensor of standard normal values from `seed`. */
export function randomTensor(shape: number[], seed: number): TensorData {
  const r = makeRandom(seed);
  return tensor('float32', shape, Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r.normal()));
}

/** a equals the reference b: same dims, b not all zeros, every element within 1e-5 of b's largest magnitude (or to
 *  4 decimals). */
export function expectClose(a: TensorData, b: TensorData, what: string): void {
  expect(a.dims, what).toEqual(b.dims);
  const p = a.data as Float32Array, q = b.data as Float32Array;
  let scale = 0;
  for (const v of q) scale = Math.max(scale, Math.abs(v));
  expect(scale, what).toBeGreaterThan(0);
  for (let i = 0; i < p.length; i++) if (Math.abs(p[i] - q[i]) > 1e-5 * scale) expect(p[i], `${what}[${i}]`).toBeCloseTo(q[i], 4);
}
