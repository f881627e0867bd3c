// SGD with momentum as torch.optim.SGD (dampening 0, not Nesterov; I. Sutskever et al. 2013):
//   d = g + wd * p (decay unless excluded);  buf' = momentum * buf + d;  p' = p - lr * buf'.
// (PyTorch starts buf at d on the first step, the same as buf = 0 here.)
import type { GraphBuilder } from '../ops/builder.js';
import { axpby } from './axpby.js';
import type { Hyper, Optimizer, ParamUpdate, ParamUpdateInput } from './optimizer.js';

export interface SgdOptions {
  momentum: number;
  /** Decay biases and norm parameters too (torch.optim's default); false excludes them. */
  decayAll?: boolean;
}

export function sgd(opts: SgdOptions): Optimizer {
  return {
    kind: 'sgd',
    slots: ['momentum'],
    update(g: GraphBuilder, u: ParamUpdateInput, hp: Hyper): ParamUpdate {
      const { op } = g;
      if (u.param.rank <= 1) {
        const d = u.excluded && !opts.decayAll ? u.grad : op.add(u.grad, op.mul(hp.weightDecay, u.param));
        const buf = op.add(op.mul(u.state.momentum, opts.momentum), d);
        return { param: op.sub(u.param, op.mul(hp.lr, buf)), state: { momentum: buf } };
      }
      // weights: one Gemm per full-size update (optim/axpby.ts), results in its panel view
      const d = u.excluded && !opts.decayAll ? u.grad : axpby(g, hp.weightDecay, u.param, u.grad, 1);
      const buf = axpby(g, g.scalarLike(u.param, opts.momentum), u.state.momentum, d, 1);
      return { param: axpby(g, op.neg(hp.lr), buf, u.param, 1), state: { momentum: buf } };
    },
  };
}
