// BYOL heads and loss (J.-B. Grill et al., "Bootstrap your own latent", NeurIPS 2020, §3.1 and appendix A):
// projector and predictor are MLPs Linear(hidden) - BatchNorm - ReLU - Linear(out), 4096 -> 256 by default, with
// PyTorch Sequential keys `0` (Linear), `1` (BatchNorm1d), `3` (Linear); the loss of a pair is
// ||normalize(q) - normalize(z')||^2 = 2 - 2 cos(q, z'), symmetrised over the two views: with both views stacked as
// one batch of 2B, loss = mean over the B pairs of [l(q1, z'2) + l(q2, z'1)] = 4 - (2/B) sum_i cos(q_i, z'_swap(i)).
// Collapse monitor (SimSiam, X. Chen & K. He, CVPR 2021, §4.1 and fig. 2): the standard deviation over the batch of
// the L2-normalised online projections, averaged over dimensions: about 1/sqrt(d) when the outputs spread over the
// unit sphere, 0 when they have collapsed to one point.
import type { Value } from '../ir/graph.js';
import { GraphError } from '../ir/errors.js';
import { batchNorm } from './norms.js';
import type { ModelContext } from './params.js';

export interface ByolHeads {
  projHidden: number;
  projOut: number;
  predHidden: number;
}

export const BYOL_DEFAULT_HEADS: ByolHeads = { projHidden: 4096, projOut: 256, predHidden: 4096 };

/** y = x W^T + b with PyTorch's Linear layout W [out, in]. */
export function linear(ctx: ModelContext, x: Value, name: string, out: number): Value {
  const inF = x.shape[1] as number;
  const w = ctx.p.get(`${name}.weight`, [out, inF], 'linear-weight', inF);
  const b = ctx.p.get(`${name}.bias`, [out], 'linear-bias', inF);
  return ctx.g.scope(name, () => ctx.g.op.gemm(x, w, b, { transB: 1 }));
}

/** Linear - BN - ReLU - Linear with keys `${name}.0`, `.1`, `.3`. */
export function mlp(ctx: ModelContext, x: Value, name: string, hidden: number, out: number): Value {
  const h = linear(ctx, x, `${name}.0`, hidden);
  const n = ctx.g.scope(`${name}.1`, () => batchNorm(ctx, h, `${name}.1`));
  return linear(ctx, ctx.g.op.relu(n), `${name}.3`, out);
}

/** Symmetric BYOL loss from q (online predictions) and z (target projections), both [2B, d] = [view1; view2]. */
export function byolLoss(ctx: ModelContext, q: Value, z: Value): Value {
  const { g } = ctx;
  const n2 = q.shape[0];
  if (typeof n2 !== 'number' || n2 % 2) throw new GraphError(`BYOL needs a static even batch, got ${q}`, 'byolLoss');
  const b = n2 / 2;
  return g.scope('loss', () => {
    const zs = g.op.concat([g.op.slice(z, [b], [n2], [0]), g.op.slice(z, [0], [b], [0])], 0);
    const dot = g.op.reduceSum(g.op.mul(q, zs), [1], { keepdims: 0 });
    const nq = g.op.sqrt(g.op.reduceSumSquare(q, [1], { keepdims: 0 }));
    const nz = g.op.sqrt(g.op.reduceSumSquare(zs, [1], { keepdims: 0 }));
    const cos = g.op.div(dot, g.op.mul(nq, nz));
    return g.op.sub(4, g.op.mul(g.op.reduceSum(cos, [0], { keepdims: 0 }), 2 / b));
  });
}

/**
 * Collapse indicator of z [N, d] (the online projections of both views, N = 2B): mean over the d dimensions of the
 * standard deviation over the N rows of z / max(||z||, 1e-12) (F.normalize), with torch.std's unbiased N - 1.
 */
export function collapseStd(ctx: ModelContext, z: Value): Value {
  const { g } = ctx;
  const n = z.shape[0];
  if (typeof n !== 'number' || n < 2) throw new GraphError(`the collapse monitor needs a static batch of 2 or more, got ${z}`, 'collapseStd');
  return g.scope('collapse', () => {
    const norm = g.op.max(g.op.sqrt(g.op.reduceSumSquare(z, [1], { keepdims: 1 })), 1e-12);
    const zn = g.op.div(z, norm);
    const d = g.op.sub(zn, g.op.reduceMean(zn, [0], { keepdims: 1 }));
    const std = g.op.sqrt(g.op.mul(g.op.reduceSumSquare(d, [0], { keepdims: 0 }), 1 / (n - 1)));
    return g.op.reduceMean(std, [0], { keepdims: 0 });
  });
}
