// Training-mode batch normalisation as ONE custom-gradient region (GraphBuilder.withCustomGradient) with a fused
// backward, in standard ops only (no BatchNormalization training_mode, which CUDA lacks: DESIGN §5).
// Forward (statistics over all axes but 1, n values per channel; torch.nn.BatchNorm semantics):
//   mean = E[x];  var = E[x^2] - mean^2 ('one-pass', no full-size x - mean) or E[(x - mean)^2] ('two-pass');
//   y = BatchNormalization(x, gamma, beta, mean, var) in inference form (one fused pass).
// Backward (Ioffe & Szegedy 2015, eq. in section 3; inv = 1/sqrt(var + eps), xhat = (x - mean) inv):
//   dbeta = sum dy;  dgamma = sum dy xhat = inv (sum dy x - mean sum dy)
//   dx = gamma inv (dy - dbeta/n - xhat dgamma/n) = a dy + (b x + c), two fused per-channel affines + one Add,
//   plus dmean/n + 2 dvar (x - mean)/n when the statistics outputs themselves receive gradients.
// The op-by-op autodiff of the same forward emits about twice as many full-size passes.
import type { GraphBuilder } from './builder.js';
import { GraphError } from '../ir/errors.js';
import type { Value } from '../ir/graph.js';
import { channelAffine } from './batch-norm.js';

export interface BatchNormTrainingOptions {
  epsilon?: number;
  /** How the batch variance is computed (default 'one-pass': E[x^2] - mean^2, one fewer full-size pass). */
  variance?: 'one-pass' | 'two-pass';
}

/** y, and the batch mean and biased variance ([C]) for running statistics. */
export function batchNormTraining(g: GraphBuilder, x: Value, gamma: Value, beta: Value, opts: BatchNormTrainingOptions = {}): { y: Value; mean: Value; variance: Value } {
  const eps = opts.epsilon ?? 1e-5;
  const c = x.shape[1];
  const axes = [0, ...x.shape.slice(2).map((_, i) => i + 2)];
  let n = 1;
  for (const a of axes) {
    const d = x.shape[a];
    if (typeof d !== 'number' || typeof c !== 'number') throw new GraphError(`needs static shapes, got ${x}`, 'BatchNormTraining');
    n *= d;
  }
  const bshape = [1, c as number, ...x.shape.slice(2).map(() => 1)];
  const [y, mean, variance] = g.withCustomGradient(
    [x, gamma, beta],
    () => {
      const m = g.op.reduceMean(x, axes, { keepdims: 0 });
      const v =
        opts.variance === 'two-pass'
          ? g.op.div(g.op.reduceSumSquare(g.op.sub(x, g.op.reshape(m, bshape)), axes, { keepdims: 0 }), n)
          : g.op.max(g.op.sub(g.op.div(g.op.reduceSumSquare(x, axes, { keepdims: 0 }), n), g.op.mul(m, m)), 0);
      return [g.op.batchNormalization(x, gamma, beta, m, v, { epsilon: eps }), m, v];
    },
    ({ g, dOut, wants, outputs }) => {
      const [dy, dMeanExt, dVarExt] = dOut;
      const [, m, v] = outputs;
      const inv = g.op.div(1, g.op.sqrt(g.op.add(v, eps)));
      const zeros = () => g.op.mul(m, 0);
      const sdy = dy ? g.op.reduceSum(dy, axes, { keepdims: 0 }) : zeros();
      const sdyx = dy ? g.op.reduceSum(g.op.mul(dy, x), axes, { keepdims: 0 }) : zeros();
      const sxh = g.op.mul(inv, g.op.sub(sdyx, g.op.mul(m, sdy))); // sum dy * xhat
      let dx: Value | undefined;
      if (wants[0]) {
        const a = g.op.mul(gamma, inv);
        let b = g.op.neg(g.op.mul(g.op.mul(a, inv), g.op.mul(sxh, 1 / n)));
        let cc = g.op.neg(g.op.mul(a, g.op.mul(sdy, 1 / n)));
        if (dVarExt) b = g.op.add(b, g.op.mul(dVarExt, 2 / n));
        cc = g.op.sub(cc, g.op.mul(b, m));
        if (dMeanExt) cc = g.op.add(cc, g.op.mul(dMeanExt, 1 / n));
        dx = dy ? g.op.add(channelAffine(g, dy, a), channelAffine(g, x, b, cc)) : channelAffine(g, x, b, cc);
      }
      return [dx, wants[1] && dy ? sxh : undefined, wants[2] && dy ? sdy : undefined];
    },
  );
  return { y, mean, variance };
}
