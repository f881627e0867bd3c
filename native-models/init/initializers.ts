// Seeded parameter initialisers, deterministic by (seed, parameter name).
// - Convolutions: Kaiming normal, mode fan_out, nonlinearity relu: std = sqrt(2) / sqrt(fan_out),
//   fan_out = out_channels * prod(kernel) (K. He et al., "Delving Deep into Rectifiers", ICCV 2015, eq. 10/14;
//   as torch.nn.init.kaiming_normal_ and MONAI's monai/networks/nets/resnet.py, torchvision's resnet.py).
// - Norm layers: weight 1, bias 0, running_mean 0, running_var 1 (MONAI resnet.py, torch BatchNorm defaults).
// - Linear: PyTorch's default reset_parameters: weight ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)) (kaiming_uniform with
//   a = sqrt(5)), bias ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)); MONAI's ResNet then zeroes the fc bias.
import { Philox, streamOf } from './philox.js';
import type { NamedTensor } from '../io/safetensors.js';

export type FloatDtype = 'float32' | 'float64';

function alloc(dtype: FloatDtype, n: number): Float32Array | Float64Array {
  return dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
}

const numel = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

/** Kaiming normal (fan_out, relu) for a conv weight [out, in, ...kernel]. */
export function kaimingNormalFanOut(name: string, dims: readonly number[], seed: number, dtype: FloatDtype = 'float32'): NamedTensor {
  const fanOut = dims[0] * dims.slice(2).reduce((a, b) => a * b, 1);
  const std = Math.SQRT2 / Math.sqrt(fanOut);
  const rng = new Philox(seed, streamOf(name));
  const data = alloc(dtype, numel(dims));
  for (let i = 0; i < data.length; i++) data[i] = rng.normal() * std;
  return { dtype, dims: [...dims], data };
}

/** Uniform in [-bound, bound). */
export function uniform(name: string, dims: readonly number[], bound: number, seed: number, dtype: FloatDtype = 'float32'): NamedTensor {
  const rng = new Philox(seed, streamOf(name));
  const data = alloc(dtype, numel(dims));
  for (let i = 0; i < data.length; i++) data[i] = (2 * rng.uniform() - 1) * bound;
  return { dtype, dims: [...dims], data };
}

export function constant(dims: readonly number[], value: number, dtype: FloatDtype = 'float32'): NamedTensor {
  const data = alloc(dtype, numel(dims));
  data.fill(value);
  return { dtype, dims: [...dims], data };
}

/** PyTorch's default Linear init for weight [out, in] (and bias [out] when `biasName` is given). */
export function linearDefault(weightName: string, dims: readonly [number, number], seed: number, dtype: FloatDtype = 'float32'): NamedTensor {
  return uniform(weightName, dims, 1 / Math.sqrt(dims[1]), seed, dtype);
}

export function linearBiasDefault(biasName: string, out: number, fanIn: number, seed: number, dtype: FloatDtype = 'float32'): NamedTensor {
  return uniform(biasName, [out], 1 / Math.sqrt(fanIn), seed, dtype);
}
