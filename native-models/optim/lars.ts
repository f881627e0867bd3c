// LARS (Y. You, I. Gitman, B. Ginsburg, "Large Batch Training of Convolutional Networks", 2017), in the form
// BYOL uses (Grill et al. 2020, appendix C; DeepMind byol/utils/optimizers.py: add_weight_decay, scale_by_lars):
//   d = g + wd * p;  r = eta * ||p|| / ||d|| (1 where either norm is 0);  buf' = momentum * buf + r * d;
//   p' = p - lr * buf'.
// Biases and norm parameters skip both the decay and the adaptation (d = g, r = 1), as in the BYOL paper.
import type { GraphBuilder } from '../ops/builder.js';
import type { Hyper, Optimizer, ParamUpdate, ParamUpdateInput } from './optimizer.js';

export interface LarsOptions {
  momentum: number;
  /** Trust coefficient (BYOL: 1e-3). */
  eta: number;
}

export function lars(opts: LarsOptions): Optimizer {
  return {
    kind: 'lars',
    slots: ['momentum'],
    update(g: GraphBuilder, u: ParamUpdateInput, hp: Hyper): ParamUpdate {
      const { op } = g;
      let d = u.grad;
      if (!u.excluded) {
        d = op.add(u.grad, op.mul(hp.weightDecay, u.param));
        const pn = op.sqrt(op.reduceSumSquare(u.param, undefined, { keepdims: 0 }));
        const dn = op.sqrt(op.reduceSumSquare(d, undefined, { keepdims: 0 }));
        const ok = op.and(op.greater(pn, 0), op.greater(dn, 0));
        // Max(dn, tiny) keeps the division finite where Where then picks 1.
        const ratio = op.where(ok, op.div(op.mul(pn, opts.eta), op.max(dn, 1e-30)), 1);
        d = op.mul(d, ratio);
      }
      const buf = op.add(op.mul(u.state.momentum, opts.momentum), d);
      return { param: op.sub(u.param, op.mul(hp.lr, buf)), state: { momentum: buf } };
    },
  };
}
