// The common shape of in-graph optimisers: each builds its update subgraph from (param, grad, state) to
// (new param, new state). Learning rate, weight decay (and the step count for AdamW) are graph inputs
// (`hp.lr`, `hp.weight_decay`, `hp.step`) so that schedules live in the trainer; constants such as momentum and
// betas are fixed when the graph is built.
import type { GraphBuilder } from '../ops/builder.js';
import type { Value } from '../ir/graph.js';

export interface Hyper {
  lr: Value;
  weightDecay: Value;
  /** 1-based step count (AdamW bias correction). */
  step: Value;
}

export interface ParamUpdateInput {
  name: string;
  param: Value;
  grad: Value;
  state: Record<string, Value>;
  /** Excluded from weight decay (and, for LARS, from trust-ratio adaptation): biases and norm parameters. */
  excluded: boolean;
}

/** New values with the element count of the parameter; their shape may be the panel view ([n/16, 16] or [n, 1])
 *  of a Gemm update (optim/axpby.ts), which the step outputs as it is (the runner feeds and fetches the same buffer under both shapes). */
export interface ParamUpdate {
  param: Value;
  state: Record<string, Value>;
}

export interface Optimizer {
  readonly kind: string;
  /** Names of the per-parameter state slots (e.g. ['momentum'] or ['exp_avg', 'exp_avg_sq']). */
  readonly slots: readonly string[];
  /** Emit the update of one parameter. `shared` caches scalars computed once per graph (e.g. bias corrections). */
  update(g: GraphBuilder, u: ParamUpdateInput, hp: Hyper): ParamUpdate;
}
