// The per-view intensity augmentations, in place on a Float32 input box (x fastest):
//   scale and shift  x * s + t * std(view)                      (brightness/contrast, BYOL's colour jitter)
//   gamma            ((x - min) / (max - min))^g * (max - min) + min   (MONAI RandAdjustContrast)
//   noise            x + N(0, sigma^2), one normal per voxel      (MONAI RandGaussianNoise)
// Blur is the shared Gaussian filter (preprocess's gaussianFilter3d, scipy semantics).
import type { Random } from './random.js';

export function meanStd(x: Float32Array<ArrayBufferLike>): { mean: number; std: number; min: number; max: number } {
  let s = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    s += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = s / x.length;
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += (x[i] - mean) ** 2;
  return { mean, std: Math.sqrt(ss / x.length), min, max };
}

export function scaleShift(x: Float32Array<ArrayBufferLike>, scale: number, shift: number): void {
  for (let i = 0; i < x.length; i++) x[i] = x[i] * scale + shift;
}

export function adjustGamma(x: Float32Array<ArrayBufferLike>, gamma: number): void {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < x.length; i++) {
    if (x[i] < min) min = x[i];
    if (x[i] > max) max = x[i];
  }
  const range = max - min;
  if (!(range > 0)) return;
  const inv = 1 / range;
  for (let i = 0; i < x.length; i++) x[i] = Math.pow((x[i] - min) * inv, gamma) * range + min;
}

export function addNoise(x: Float32Array<ArrayBufferLike>, sigma: number, rng: Random): void {
  for (let i = 0; i < x.length; i++) x[i] += sigma * rng.normal();
}
