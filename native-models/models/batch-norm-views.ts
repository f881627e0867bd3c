// Training-mode batch normalisation with statistics PER VIEW: the batch x [V*N, C, ...spatial] holds V views of
// N samples each (view-major, as the BYOL step's concat [view1; view2]), and each view is normalised by its own
// batch statistics, exactly as if the V views went through the network in V separate forwards (DeepMind's
// byol_experiment.py and most PyTorch BYOL implementations forward each view separately). One custom-gradient
// region (GraphBuilder.withCustomGradient), standard ONNX ops only, the graph's batch is never split:
//   x4 = Reshape(x, [V, N, C, S])  (S = product of the spatial dims, 1 for [N, C] inputs; a free reshape)
//   mean[v, c] = E_{n,s}[x4] (sums over S, then N: see sumNS);  var[v, c] = E[x4^2] - mean^2 ('one-pass') or E[(x4 - mean)^2] ('two-pass'), biased
//   y = BatchNormalization(Reshape(x, [1, V*N*C, S]), gamma, beta, mean, var) in inference form, its [V*N*C]
//       operands the per-(view, channel) values expanded over N (small tensors; one fused full-size pass);
//       for [N, C] inputs (S = 1) plain broadcast ops on [V, N, C, 1] instead.
// Backward per (view, channel) (Ioffe & Szegedy 2015, section 3; inv = 1/sqrt(var + eps), xhat = (x - mean) inv,
// n = N*S values per view and channel), as ops/batch-norm-training.ts per group:
//   dbeta = sum_v sum dy;  dgamma = sum_v sum dy xhat, with sum dy xhat = inv (sum dy x - mean sum dy)
//   dx = a dy + (b x + c): a = gamma inv, b = -a inv (sum dy xhat)/n [+ 2 dvar/n], c = -a (sum dy)/n - b mean
//   [+ dmean/n] (the bracketed terms when the statistics outputs receive gradients).
import type { GraphBuilder } from '../ops/builder.js';
import { GraphError } from '../ir/errors.js';
import type { Value } from '../ir/graph.js';
import { channelAffine } from '../ops/batch-norm.js';

export interface BatchNormViewsOptions {
  epsilon?: number;
  /** How the batch variance is computed (default 'one-pass': E[x^2] - mean^2). */
  variance?: 'one-pass' | 'two-pass';
}

/** Static sizes of a per-view BN input: views V, samples per view N, channels C, spatial size S, n = N*S. */
export function viewLayout(x: Value, views: number): { V: number; N: number; C: number; S: number; n: number } {
  const dims = x.shape;
  if (dims.length < 2 || dims.some((d) => typeof d !== 'number'))
    throw new GraphError(`per-view BatchNorm needs a static [N, C, ...] input, got ${x}`, 'BatchNormViews');
  const [b, C, ...sp] = dims as number[];
  if (!Number.isInteger(views) || views < 1 || b % views !== 0)
    throw new GraphError(`batch ${b} of ${x} is not ${views} equal views`, 'BatchNormViews');
  const N = b / views;
  const S = sp.reduce((a, d) => a * d, 1);
  return { V: views, N, C, S, n: N * S };
}

/** y, and the per-view batch mean and biased variance, both [V, C]. */
export function batchNormViews(g: GraphBuilder, x: Value, gamma: Value, beta: Value, views: number, opts: BatchNormViewsOptions = {}): { y: Value; mean: Value; variance: Value } {
  const eps = opts.epsilon ?? 1e-5;
  const { V, N, C, S, n } = viewLayout(x, views);
  const xShape = x.shape as number[];
  const grouped = [V, 1, C, 1];
  /** [V, 1, C, 1] (or [1, 1, C, 1]) per-group values -> [V*N*C], the channel operand of BatchNormalization. */
  const spread = (gr: GraphBuilder, t: Value): Value => gr.op.reshape(gr.op.expand(t, [V, N, C, 1]), [V * N * C]);
  /** x (or dy) as [1, V*N*C, S]: BatchNormalization's channel axis then runs over (view, sample, channel). */
  const affineIn = (gr: GraphBuilder, t: Value): Value => gr.op.reshape(t, [1, V * N * C, S]);
  /**
   * Sum (or sum of squares) of [V, N, C, S] over N and S, kept as [V, 1, C, 1]: the contiguous S axis first, then N.
   * ORT's CPU ReduceSum over axes [1, 3] at once accumulates with ~10x the float32 error of the two stages
   * (measured 1.7e-6 against 1.5e-7 relative on 8 x 32768 values), which the BN backward's cancellations amplify.
   */
  const sumNS = (gr: GraphBuilder, t: Value, squares = false): Value => {
    if (S === 1) return squares ? gr.op.reduceSumSquare(t, [1], { keepdims: 1 }) : gr.op.reduceSum(t, [1], { keepdims: 1 });
    const inner = squares ? gr.op.reduceSumSquare(t, [3], { keepdims: 1 }) : gr.op.reduceSum(t, [3], { keepdims: 1 });
    return gr.op.reduceSum(inner, [1], { keepdims: 1 });
  };
  /**
   * t * a (+ b) per (view, channel), a and b [V, 1, C, 1], result shaped as x. With spatial extent, one fused
   * BatchNormalization over [1, V*N*C, S]; without ([N, C] inputs: the heads), broadcast Mul/Add on the small
   * [V, N, C, 1] tensor, since BatchNormalization over V*N*C channels of one value each costs ~20x more there.
   */
  const affine = (gr: GraphBuilder, t: Value, a: Value, b?: Value): Value => {
    if (S > 1) return gr.op.reshape(channelAffine(gr, affineIn(gr, t), spread(gr, a), b && spread(gr, b)), xShape);
    const r = gr.op.mul(gr.op.reshape(t, [V, N, C, 1]), a);
    return gr.op.reshape(b ? gr.op.add(r, b) : r, xShape);
  };
  const [y, mean, variance] = g.withCustomGradient(
    [x, gamma, beta],
    () => {
      const x4 = g.op.reshape(x, [V, N, C, S]);
      const m = g.op.div(sumNS(g, x4), n);
      const v =
        opts.variance === 'two-pass'
          ? g.op.div(sumNS(g, g.op.sub(x4, m), true), n)
          : g.op.max(g.op.sub(g.op.div(sumNS(g, x4, true), n), g.op.mul(m, m)), 0);
      const gamma4 = g.op.reshape(gamma, [1, 1, C, 1]);
      const beta4 = g.op.reshape(beta, [1, 1, C, 1]);
      const yy =
        S > 1
          ? g.op.reshape(g.op.batchNormalization(affineIn(g, x), spread(g, gamma4), spread(g, beta4), spread(g, m), spread(g, v), { epsilon: eps }), xShape)
          : g.op.reshape(g.op.add(g.op.mul(g.op.sub(x4, m), g.op.mul(gamma4, g.op.div(1, g.op.sqrt(g.op.add(v, eps))))), beta4), xShape);
      return [yy, g.op.reshape(m, [V, C]), g.op.reshape(v, [V, C])];
    },
    ({ g: gb, dOut, wants, outputs }) => {
      const [dy, dMeanExt, dVarExt] = dOut;
      const m = gb.op.reshape(outputs[1], grouped);
      const v = gb.op.reshape(outputs[2], grouped);
      const inv = gb.op.div(1, gb.op.sqrt(gb.op.add(v, eps)));
      const x4 = gb.op.reshape(x, [V, N, C, S]);
      const dy4 = dy ? gb.op.reshape(dy, [V, N, C, S]) : undefined;
      const zeros = () => gb.op.mul(m, 0);
      const sdy = dy4 ? sumNS(gb, dy4) : zeros();
      const sdyx = dy4 ? sumNS(gb, gb.op.mul(dy4, x4)) : zeros();
      const sxh = gb.op.mul(inv, gb.op.sub(sdyx, gb.op.mul(m, sdy))); // sum dy * xhat, per (view, channel)
      let dx: Value | undefined;
      if (wants[0]) {
        const a = gb.op.mul(gb.op.reshape(gamma, [1, 1, C, 1]), inv);
        let b = gb.op.neg(gb.op.mul(gb.op.mul(a, inv), gb.op.mul(sxh, 1 / n)));
        let cc = gb.op.neg(gb.op.mul(a, gb.op.mul(sdy, 1 / n)));
        if (dVarExt) b = gb.op.add(b, gb.op.mul(gb.op.reshape(dVarExt, grouped), 2 / n));
        cc = gb.op.sub(cc, gb.op.mul(b, m));
        if (dMeanExt) cc = gb.op.add(cc, gb.op.mul(gb.op.reshape(dMeanExt, grouped), 1 / n));
        const bx = affine(gb, x, b, cc);
        dx = dy ? gb.op.add(affine(gb, dy, a), bx) : bx;
      }
      const perChannel = (t: Value) => gb.op.reduceSum(t, [0, 1, 3], { keepdims: 0 });
      return [dx, wants[1] && dy ? perChannel(sxh) : undefined, wants[2] && dy ? perChannel(sdy) : undefined];
    },
  );
  return { y, mean, variance };
}
