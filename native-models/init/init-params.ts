// Initial values for a model's ParamSpecs (models/params.ts), deterministic by seed and name:
// conv weights Kaiming normal fan_out/relu, norm weight 1 / bias 0, running mean 0 / var 1, conv biases and
// Linear layers PyTorch's defaults (init/initializers.ts). BYOL's target network starts as a copy of the online
// one (Grill et al. 2020, §3.1): a `target.X` tensor copies `online.X` when both exist.
import type { ParamSpec } from '../models/params.js';
import type { TensorData } from '../ir/tensor.js';
import { constant, type FloatDtype, kaimingNormalFanOut, uniform } from './initializers.js';

export function initParams(specs: ParamSpec[], seed: number, dtype: FloatDtype = 'float32'): Record<string, TensorData> {
  const out: Record<string, TensorData> = {};
  const one = (s: ParamSpec): TensorData => {
    switch (s.kind) {
      case 'conv-weight':
        return kaimingNormalFanOut(s.name, s.dims, seed, dtype) as TensorData;
      case 'conv-bias': {
        const fanIn = s.fanIn ?? 1;
        return uniform(s.name, s.dims, 1 / Math.sqrt(fanIn), seed, dtype) as TensorData;
      }
      case 'linear-weight':
      case 'linear-bias':
        return uniform(s.name, s.dims, 1 / Math.sqrt(s.fanIn ?? s.dims[1] ?? 1), seed, dtype) as TensorData;
      case 'norm-weight':
      case 'running-var':
        return constant(s.dims, 1, dtype) as TensorData;
      case 'norm-bias':
      case 'running-mean':
        return constant(s.dims, 0, dtype) as TensorData;
    }
  };
  for (const s of specs) {
    if (s.name.startsWith('target.')) continue;
    out[s.name] = one(s);
  }
  for (const s of specs) {
    if (!s.name.startsWith('target.')) continue;
    const src = out[`online.${s.name.slice('target.'.length)}`];
    out[s.name] = src ? { dtype: src.dtype, dims: [...src.dims], data: src.data.slice() as TensorData['data'] } : one(s);
  }
  return out;
}
