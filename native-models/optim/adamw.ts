// AdamW (I. Loshchilov & F. Hutter, "Decoupled Weight Decay Regularization", ICLR 2019; D. Kingma & J. Ba 2015),
// exactly as torch.optim.AdamW (non-amsgrad), step t = hp.step (1-based):
//   p1 = p (1 - lr wd);  m' = b1 m + (1 - b1) g;  v' = b2 v + (1 - b2) g^2;
//   p' = p1 - (lr / (1 - b1^t)) m' / (sqrt(v') / sqrt(1 - b2^t) + eps).
import type { GraphBuilder } from '../ops/builder.js';
import type { Value } from '../ir/graph.js';
import type { Hyper, Optimizer, ParamUpdate, ParamUpdateInput } from './optimizer.js';

export interface AdamWOptions {
  betas: [number, number];
  eps: number;
  /** Exclude biases and norm parameters from decay (torch's default decays all). */
  excludeBiasNorm?: boolean;
}

export function adamw(opts: AdamWOptions): Optimizer {
  const [b1, b2] = opts.betas;
  // bias corrections are shared by every parameter of a graph: computed once per builder and learning-rate value
  // (the train step gives each parameter an hp.lr that depends on its readers: graphs/train-step.ts readersDone)
  const cache = new WeakMap<GraphBuilder, { sqrtBc2: Value; bc1: Value; stepSize: Map<Value, Value> }>();
  return {
    kind: 'adamw',
    slots: ['exp_avg', 'exp_avg_sq'],
    update(g: GraphBuilder, u: ParamUpdateInput, hp: Hyper): ParamUpdate {
      const { op } = g;
      let sc = cache.get(g);
      if (!sc) {
        sc = g.scope('adamw', () => {
          const bc1 = op.sub(1, op.pow(g.scalarLike(hp.step, b1), hp.step));
          const bc2 = op.sub(1, op.pow(g.scalarLike(hp.step, b2), hp.step));
          return { bc1, sqrtBc2: op.sqrt(bc2), stepSize: new Map<Value, Value>() };
        });
        cache.set(g, sc);
      }
      let stepSize = sc.stepSize.get(hp.lr);
      if (!stepSize) sc.stepSize.set(hp.lr, (stepSize = op.div(hp.lr, sc.bc1)));
      const decay = !(u.excluded && opts.excludeBiasNorm);
      const p1 = decay ? op.mul(u.param, op.sub(1, op.mul(hp.lr, hp.weightDecay))) : u.param;
      const m = op.add(op.mul(u.state.exp_avg, b1), op.mul(u.grad, 1 - b1));
      const v = op.add(op.mul(u.state.exp_avg_sq, b2), op.mul(op.mul(u.grad, u.grad), 1 - b2));
      const denom = op.add(op.div(op.sqrt(v), sc.sqrtBc2), opts.eps);
      const p = op.sub(p1, op.mul(stepSize, op.div(m, denom)));
      return { param: p, state: { exp_avg: m, exp_avg_sq: v } };
    },
  };
}
