// Normalisation layers built from standard ONNX ops (no BatchNormalization training_mode, which the CUDA provider
// lacks at opset >= 14: DESIGN §5).
// - BatchNorm (S. Ioffe & C. Szegedy 2015; torch.nn.BatchNorm semantics): training uses batch statistics over all
//   axes but the channel axis, mean = E[x], var = E[(x - mean)^2] (biased) for normalising; running statistics
//   become (1 - m) r + m s with the UNBIASED variance n/(n-1) var (PyTorch), m = momentum (0.1). Inference uses the
//   running statistics. The per-channel affine is ORT's BatchNormalization in inference form fed with the
//   statistics (ops/batch-norm.ts), whose gradient rule also routes gradients through mean and var.
// - GroupNorm (Y. Wu & K. He 2018) with weight standardisation (S. Qiao et al. 2019): per sample, channels split in
//   G groups, normalised by their biased statistics, then per-channel affine; convolution weights standardised per
//   output channel, w' = (w - mean) / sqrt(var + eps). Keys follow MONAI (`bn1.weight`, `bn1.bias`).
import { GraphError } from '../ir/errors.js';
import type { Value } from '../ir/graph.js';
import type { ModelContext } from './params.js';
import { batchNormTraining } from '../ops/batch-norm-training.js';

export type NormKind = 'batch' | 'group';

export interface NormOptions {
  kind: NormKind;
  /** Groups for GroupNorm (default 32, reduced to divide the channel count). */
  groups?: number;
}

/** BatchNorm over axis 1 of x ([N, C] or [N, C, D, H, W]); parameters `${name}.weight|bias|running_mean|running_var`. */
export function batchNorm(ctx: ModelContext, x: Value, name: string): Value {
  const { g, p } = ctx;
  const c = x.shape[1];
  if (typeof c !== 'number') throw new GraphError(`channel count of ${x} must be static`, 'BatchNorm', name);
  const gamma = p.get(`${name}.weight`, [c], 'norm-weight');
  const beta = p.get(`${name}.bias`, [c], 'norm-bias');
  const rm = p.get(`${name}.running_mean`, [c], 'running-mean');
  const rv = p.get(`${name}.running_var`, [c], 'running-var');
  if (!ctx.training) return g.op.batchNormalization(x, gamma, beta, rm, rv, { epsilon: ctx.bnEps });
  let n = 1;
  for (const ax of [0, ...x.shape.slice(2).map((_, i) => i + 2)]) {
    const d = x.shape[ax];
    if (typeof d !== 'number') throw new GraphError(`training BatchNorm needs static shapes, ${x} is not`, 'BatchNorm', name);
    n *= d;
  }
  // batch statistics + BatchNormalization(inference form) with a fused backward (ops/batch-norm-training.ts)
  const { y, mean, variance } = batchNormTraining(g, x, gamma, beta, { epsilon: ctx.bnEps, variance: ctx.bnVariance ?? 'one-pass' });
  const m = ctx.bnMomentum;
  p.updates.set(`${name}.running_mean`, g.op.add(g.op.mul(rm, 1 - m), g.op.mul(mean, m)));
  p.updates.set(`${name}.running_var`, g.op.add(g.op.mul(rv, 1 - m), g.op.mul(variance, (m * n) / (n - 1))));
  return y;
}

/** GroupNorm over x [N, C, ...spatial]; parameters `${name}.weight|bias`. Static C and spatial dims. */
export function groupNorm(ctx: ModelContext, x: Value, name: string, groups = 32, eps = 1e-5): Value {
  const { g, p } = ctx;
  const c = x.shape[1] as number;
  let G = Math.min(groups, c);
  while (c % G !== 0) G--;
  const gamma = p.get(`${name}.weight`, [c], 'norm-weight');
  const beta = p.get(`${name}.bias`, [c], 'norm-bias');
  const spatial = x.shape.slice(2) as number[];
  const xr = g.op.reshape(x, [0, G, -1]);
  const mean = g.op.reduceMean(xr, [2], { keepdims: 1 });
  const d = g.op.sub(xr, mean);
  const v = g.op.reduceMean(g.op.mul(d, d), [2], { keepdims: 1 });
  const xn = g.op.reshape(g.op.div(d, g.op.sqrt(g.op.add(v, eps))), [0, c, ...spatial]);
  const shape = [1, c, ...spatial.map(() => 1)];
  return g.op.add(g.op.mul(xn, g.op.reshape(gamma, shape)), g.op.reshape(beta, shape));
}

/** Weight standardisation of a conv weight [O, I, ...k]: per output channel zero mean, unit (biased) variance. */
export function standardiseWeight(ctx: ModelContext, w: Value, eps = 1e-5): Value {
  const { g } = ctx;
  const axes = w.shape.slice(1).map((_, i) => i + 1);
  const mean = g.op.reduceMean(w, axes, { keepdims: 1 });
  const d = g.op.sub(w, mean);
  const v = g.op.reduceMean(g.op.mul(d, d), axes, { keepdims: 1 });
  return g.op.div(d, g.op.sqrt(g.op.add(v, eps)));
}

export function norm(ctx: ModelContext, x: Value, name: string, opts: NormOptions): Value {
  return opts.kind === 'group' ? groupNorm(ctx, x, name, opts.groups ?? 32) : batchNorm(ctx, x, name);
}
