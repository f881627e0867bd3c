// LARS (Y. You, I. Gitman, B. Ginsburg, "Large Batch Training of Convolutional Networks", 2017), in the form
// BYOL uses (Grill et al. 2020, appendix C; DeepMind byol/utils/optimizers.py: add_weight_decay, scale_by_lars):
//   d = g + wd * p;  r = eta * ||p|| / ||d|| (1 where either norm is 0);  buf' = momentum * buf + r * d;
//   p' = p - lr * buf'.
// Biases and norm parameters skip both the decay and the adaptation (d = g, r = 1), as in the BYOL paper.
// Full-size work per weight: d = g + wd p, buf' = r d + m buf and p' = p - lr buf' are one Gemm each (axpby.ts),
// plus the two norms: 5 passes over parameter-size tensors instead of 9 with Mul/Add.
import type { GraphBuilder } from '../ops/builder.js';
import { axpby } from './axpby.js';
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
      if (u.excluded) {
        const buf = op.add(op.mul(u.state.momentum, opts.momentum), u.grad);
        return { param: op.sub(u.param, op.mul(hp.lr, buf)), state: { momentum: buf } };
      }
      const d = axpby(g, hp.weightDecay, u.param, u.grad, 1);
      const pn = op.sqrt(op.reduceSumSquare(u.param, undefined, { keepdims: 0 }));
      const dn = op.sqrt(op.reduceSumSquare(d, undefined, { keepdims: 0 }));
      const ok = op.and(op.greater(pn, 0), op.greater(dn, 0));
      // Max(dn, tiny) keeps the division finite where Where then picks 1.
      const ratio = op.where(ok, op.div(op.mul(pn, opts.eta), op.max(dn, 1e-30)), 1);
      const buf = axpby(g, ratio, d, u.state.momentum, opts.momentum);
      return { param: axpby(g, op.neg(hp.lr), buf, u.param, 1), state: { momentum: buf } };
    },
  };
}
