// Normalisation layers built from standard ONNX ops (no BatchNormalization training_mode, which the CUDA provider
// lacks at opset >= 14: DESIGN §5).
// - BatchNorm (S. Ioffe & C. Szegedy 2015; torch.nn.BatchNorm semantics): training uses batch statistics over all
//   axes but the channel axis, mean = E[x], var = E[(x - mean)^2] (biased) for normalising; running statistics
//   become (1 - m) r + m s with the UNBIASED variance n/(n-1) var (PyTorch), m = momentum (0.1). Inference uses the
//   running statistics. The per-channel affine is ORT's BatchNormalization in inference form fed with the
//   statistics (ops/batch-norm.ts, ops/batch-norm-training.ts).
//   Per-view statistics (ctx.bnViews = V > 1, the BYOL step's default): the batch [V*N, ...] is V views of N samples
//   and each view is normalised by its own statistics (models/batch-norm-views.ts), as V separate forwards of
//   PyTorch would; the running statistics then take V momentum updates in view order, as PyTorch's V forwards do
//   (each forward of a training-mode torch.nn.BatchNorm updates them once):
//     r_v = (1 - m) r_{v-1} + m s_v, v = 1..V, i.e. r_V = (1 - m)^V r_0 + sum_v m (1 - m)^(V - v) s_v,
//   with s_v the view's mean, or its unbiased variance over n = N * spatial values.
// - GroupNorm (Y. Wu & K. He 2018; torch.nn.GroupNorm(G, C, eps=1e-5)): per sample, channels split in G groups
//   (G = the requested groups, default 32, lowered until it divides C), normalised by their biased statistics with
//   eps inside the square root, then per-channel affine.
// - Weight standardisation (S. Qiao et al. 2019) on every convolution weight [O, I, ...k] when norm is 'group':
//     w' = (w - mean_o) / sqrt(var_o + eps),  mean and BIASED variance over the I * prod(k) entries of output
//     channel o, eps = 1e-5 by default (NormOptions.wsEps).
//   This is timm's StdConv2d formula (timm/layers/std_conv.py: F.batch_norm(w.reshape(1, O, -1), None, None,
//   training=True, momentum=0., eps=eps)) on 3-D kernels, with eps 1e-5 where timm defaults to 1e-6 (TransUNet's
//   StdConv2d: var_mean(unbiased=False), 1e-5 - the same as here; BiT's: 1e-10; Qiao et al.'s reference code
//   instead divides by the unbiased std + 1e-5). Checked against PyTorch by the BYOL parity test
//   (tests/integration/native-models/byol-parity.test.ts). Keys follow MONAI (`bn1.weight`, `bn1.bias`).
import { GraphError } from '../ir/errors.js';
import type { Value } from '../ir/graph.js';
import type { ModelContext } from './params.js';
import { batchNormTraining } from '../ops/batch-norm-training.js';
import { batchNormViews, viewLayout } from './batch-norm-views.js';

export type NormKind = 'batch' | 'group';

export interface NormOptions {
  kind: NormKind;
  /** Groups for GroupNorm (default 32, reduced to divide the channel count). */
  groups?: number;
  /** eps of weight standardisation (default 1e-5; see the header). */
  wsEps?: number;
}

/** BN batch statistics of the BYOL step: per view (as separate forwards; default) or over both views at once. */
export type BnStatistics = 'per-view' | 'joint';

/** ModelContext.bnViews for a step of `views` views. */
export const bnViewsFor = (stats: BnStatistics | undefined, views: number): number => (stats === 'joint' ? 1 : views);

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
  const views = ctx.bnViews ?? 1;
  const m = ctx.bnMomentum;
  const variance = ctx.bnVariance ?? 'one-pass';
  if (views === 1) {
    // batch statistics + BatchNormalization(inference form) with a fused backward (ops/batch-norm-training.ts)
    let n = 1;
    for (const ax of [0, ...x.shape.slice(2).map((_, i) => i + 2)]) {
      const d = x.shape[ax];
      if (typeof d !== 'number') throw new GraphError(`training BatchNorm needs static shapes, ${x} is not`, 'BatchNorm', name);
      n *= d;
    }
    if (n < 2) throw new GraphError(`training BatchNorm needs more than 1 value per channel, ${x} has ${n}`, 'BatchNorm', name);
    const { y, mean, variance: v } = batchNormTraining(g, x, gamma, beta, { epsilon: ctx.bnEps, variance });
    p.updates.set(`${name}.running_mean`, g.op.add(g.op.mul(rm, 1 - m), g.op.mul(mean, m)));
    p.updates.set(`${name}.running_var`, g.op.add(g.op.mul(rv, 1 - m), g.op.mul(v, (m * n) / (n - 1))));
    return y;
  }
  const { n } = viewLayout(x, views);
  if (n < 2) throw new GraphError(`per-view training BatchNorm needs more than 1 value per channel and view, ${x} has ${n}`, 'BatchNorm', name);
  const { y, mean, variance: v } = batchNormViews(g, x, gamma, beta, views, { epsilon: ctx.bnEps, variance });
  // one PyTorch momentum update per view, in view order
  let newMean = rm;
  let newVar = rv;
  for (let i = 0; i < views; i++) {
    const row = (t: Value) => g.op.reshape(g.op.slice(t, [i], [i + 1], [0]), [c]);
    newMean = g.op.add(g.op.mul(newMean, 1 - m), g.op.mul(row(mean), m));
    newVar = g.op.add(g.op.mul(newVar, 1 - m), g.op.mul(row(v), (m * n) / (n - 1)));
  }
  p.updates.set(`${name}.running_mean`, newMean);
  p.updates.set(`${name}.running_var`, newVar);
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
