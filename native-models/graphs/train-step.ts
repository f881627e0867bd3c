// The BYOL training step as ONE ONNX graph (DESIGN §5; Grill et al. 2020, algorithm 1):
//   x = [view1; view2] (2B samples; BN statistics per view as two separate forwards, or joint: models/norms.ts)
//   online: q = predictor(projector(encoder(x)));  target: z = projector_t(encoder_t(x)) (no gradient)
//   loss = symmetric 2 - 2 cos (models/byol.ts);  grads = d loss / d online parameters (autodiff/gradients.ts)
//   online' = optimiser(online, grads, state; hp.lr, hp.weight_decay[, hp.step])
//   target' = tau * target + (1 - tau) * online'   (hp.tau; EMA after the online update, as DeepMind's BYOL)
//   BN running statistics of both networks from this step's batch statistics.
// Inputs: view1, view2, every parameter/buffer by name (`online.encoder.conv1.weight`, ...), optimiser state
// `state.<param>.<slot>`, hp.*. Outputs: `loss`, `collapse_std` (unless `collapseMonitor: false`; models/byol.ts
// collapseStd of the online projections), `new.<name>` for every parameter, buffer and state, and with
// `emitGrads` also `grad.<param>`. num_batches_tracked is a host-side counter (it does not enter the maths with
// a fixed momentum).
import { gradients } from '../autodiff/gradients.js';
import { GraphBuilder } from '../ops/builder.js';
import type { DType } from '../ir/dtype.js';
import type { Graph, Node, Value } from '../ir/graph.js';
import type { ConvGradOptions } from '../ops/op-def.js';
import type { ConvPlanner } from '../ops/conv-plan.js';
import { defaultPlanner } from '../tuning/autotune.js';
import { after } from '../ops/where.js';
import { type ByolHeads, byolLoss, collapseStd, mlp } from '../models/byol.js';
import { type BnStatistics, bnViewsFor } from '../models/norms.js';
import { type ModelContext, ParamSource, type ParamSpec, isExcludedFromDecay, rootInput } from '../models/params.js';
import { type ResNetConfig, resnet3d } from '../models/resnet3d.js';
import { type OptimizerConfig, optimizerFromConfig } from '../optim/from-config.js';
import { axpby, flat } from '../optim/axpby.js';
import { elideOutputIdentities } from '../passes/elide-identities.js';
import { type Consumers, ancestors, consumersOf, memoryReaders } from '../passes/in-place.js';
import { recomputeInBackward } from '../passes/recompute.js';
import { dropUnusedOutputs } from '../passes/unused-outputs.js';

export interface TrainStepConfig {
  encoder: ResNetConfig;
  heads: ByolHeads;
  optimizer: OptimizerConfig;
  /** Samples per view. */
  batch: number;
  /** [C, D, H, W] of one view. */
  inputShape: [number, number, number, number];
  dtype?: DType;
  bnEps?: number;
  bnMomentum?: number;
  /** BN batch statistics per view (default) or over both views (models/norms.ts). */
  bnStatistics?: BnStatistics;
  /** Also output `grad.<param>` (parity tests). */
  emitGrads?: boolean;
  /** Forced conv formulations (tests, benches); normally the plan decides (BuildOptions.convPlanner). */
  conv?: ConvGradOptions;
  /** Recompute expanding convs (the stem) in the backward pass instead of keeping their output (graphs/recompute.ts).
   *  Default false: it lowers the live intermediates (by the stem output, 134 MB at 8 x 64^3) but the peak RSS
   *  measured the same (2042 vs 2033 MB; ORT's CPU arena keeps the regions it grew) for one more Conv per step. */
  recompute?: boolean;
  /** Output `collapse_std`, the collapse indicator of the online projections (models/byol.ts collapseStd): a few
   *  reductions over [2B, projOut] values, no gradient. Default true. */
  collapseMonitor?: boolean;
}

export interface TrainStepGraph {
  graph: Graph;
  /** Every parameter and buffer (online and target), in creation order. */
  specs: ParamSpec[];
  /** Optimiser state names (`state.<param>.<slot>`) with the shape of their parameter. */
  stateSpecs: { name: string; dims: number[] }[];
  /** Hyper-parameter input names. */
  hyper: string[];
}

/** Name of the collapse-monitor output. */
export const COLLAPSE_STD = 'collapse_std';
export const newName = (name: string): string => `new.${name}`;
export const gradName = (name: string): string => `grad.${name}`;

/**
 * Online network (encoder + projector + predictor) and target network (encoder + projector) on x. The target runs
 * first: the online network reads x through a data dependency on z (ops/where.ts `after`), so that the target's
 * large stem activations come and go before the online network's activations are being kept for the backward
 * pass (ORT otherwise runs the online forward first; at 8 x 64^3 the live intermediates at the peak, replayed
 * from ORT's profile, went from ~0.85 to ~0.52 GB with this and the rebuilt im2col of ops/conv-batched-gemm.ts).
 */
export function byolNetworks(ctx: ModelContext, x: Value, cfg: TrainStepConfig): { q: Value; z: Value; zOnline: Value } {
  const { g } = ctx;
  const ht = g.scope('target', () => resnet3d(ctx, x, cfg.encoder, 'target.encoder.'));
  const z = g.scope('target', () => mlp(ctx, ht, 'target.projector', cfg.heads.projHidden, cfg.heads.projOut));
  const xo = g.scope('online', () => after(g, x, z));
  const h = g.scope('online', () => resnet3d(ctx, xo, cfg.encoder, 'online.encoder.'));
  const zo = g.scope('online', () => mlp(ctx, h, 'online.projector', cfg.heads.projHidden, cfg.heads.projOut));
  const q = g.scope('online', () => mlp(ctx, zo, 'online.predictor', cfg.heads.predHidden, cfg.heads.projOut));
  return { q, z, zOnline: zo };
}

/**
 * A value that exists only once every node that reads param's memory but is not already an ancestor of its gradient
 * has run (the backward pass's readers: a conv's input gradient, a BN's dx, a Linear's dx), or undefined when there
 * is none. The update's learning rate is made to depend on it (ops/where.ts `after` on the scalar hp.lr: no
 * param-size copy), so the node writing the new parameter runs after all readers and ORT can write it into the fed
 * buffer (passes/in-place.ts): the runner needs no second buffer for the online parameters. (This once went through
 * a copy of the gradient: one param-size copy per parameter and step.)
 */
function readersDone(g: GraphBuilder, consumers: Consumers, param: Value, grad: Value): Value | undefined {
  const before = grad.producer ? ancestors(grad.producer) : new Set<Node>();
  const late = memoryReaders(consumers, param).filter((n) => !before.has(n) && n !== grad.producer);
  let dep: Value | undefined;
  for (const n of late) {
    let d = g.op.slice(g.op.reshape(n.outputs[0], [-1]), [0], [1], [0]);
    if (d.dtype !== grad.dtype) d = g.op.cast(d, grad.dtype);
    dep = dep ? g.op.add(dep, d) : d;
  }
  return dep;
}

export interface BuildOptions {
  /** Conv formulations (tuning/autotune.ts tuneConvPlan); default: the documented default rules on the CPU. */
  convPlanner?: ConvPlanner;
}

export function buildTrainStep(cfg: TrainStepConfig, opts: BuildOptions = {}): TrainStepGraph {
  const dtype = cfg.dtype ?? 'float32';
  const g = new GraphBuilder('byol_train_step');
  g.convPlanner = opts.convPlanner ?? defaultPlanner();
  g.convOptions = { ...cfg.conv };
  const p = new ParamSource(g, dtype, 'input');
  const ctx: ModelContext = { g, p, training: true, bnEps: cfg.bnEps ?? 1e-5, bnMomentum: cfg.bnMomentum ?? 0.1, bnViews: bnViewsFor(cfg.bnStatistics, 2) };
  const shape = [cfg.batch, ...cfg.inputShape];
  const v1 = g.input('view1', dtype, shape);
  const v2 = g.input('view2', dtype, shape);
  const hp = {
    lr: g.input('hp.lr', dtype, []),
    weightDecay: g.input('hp.weight_decay', dtype, []),
    tau: g.input('hp.tau', dtype, []),
    step: g.input('hp.step', dtype, []),
  };
  const x = g.op.concat([v1, v2], 0);
  const { q, z, zOnline } = byolNetworks(ctx, x, cfg);
  const loss = byolLoss(ctx, q, z);
  g.output(loss, 'loss');
  if (cfg.collapseMonitor ?? true) g.output(collapseStd(ctx, zOnline), COLLAPSE_STD);

  const online = p.specs.filter((s) => s.trainable && s.name.startsWith('online.'));
  const fwdEnd = g.nodes.length;
  const grads = gradients(g, loss, online.map((s) => p.values.get(s.name)!), { conv: cfg.conv });
  if (cfg.recompute) recomputeInBackward(g, fwdEnd);
  const opt = optimizerFromConfig(cfg.optimizer);
  const stateSpecs: { name: string; dims: number[] }[] = [];
  const newOnline = new Map<string, Value>();
  const consumers = consumersOf(g.nodes);
  g.scope('update', () => {
    online.forEach((s, i) => {
      const grad = grads[i];
      const dep = g.scope(s.name, () => readersDone(g, consumers, p.values.get(s.name)!, grad));
      const hpAfter = dep ? { ...hp, lr: g.scope(s.name, () => after(g, hp.lr, dep)) } : hp;
      const state: Record<string, Value> = {};
      for (const slot of opt.slots) {
        const n = `state.${s.name}.${slot}`;
        state[slot] = rootInput(g, n, dtype, s.dims);
        stateSpecs.push({ name: n, dims: s.dims });
      }
      const u = g.scope(s.name, () =>
        opt.update(g, { name: s.name, param: p.values.get(s.name)!, grad, state, excluded: isExcludedFromDecay(s) }, hpAfter),
      );
      newOnline.set(s.name, u.param);
      g.output(u.param, newName(s.name));
      for (const slot of opt.slots) g.output(u.state[slot], newName(`state.${s.name}.${slot}`));
      if (cfg.emitGrads) g.output(grads[i], gradName(s.name));
    });
  });
  g.scope('ema', () => {
    for (const s of p.specs) {
      if (!s.trainable || !s.name.startsWith('target.')) continue;
      const o = newOnline.get(`online.${s.name.slice('target.'.length)}`)!;
      const t = p.values.get(s.name)!;
      // tau t + (1 - tau) o = tau (t - o) + o: Sub + one Gemm (optim/axpby.ts) instead of Sub, Mul, Add; panel views
      // for weights (o may already be), elementwise for the 1-D tensors
      const ema = () => (t.rank <= 1 && o.rank <= 1 ? g.op.add(o, g.op.mul(hp.tau, g.op.sub(t, o))) : axpby(g, hp.tau, g.op.sub(flat(g, t), flat(g, o)), o, 1));
      g.output(g.scope(s.name, ema), newName(s.name));
    }
  });
  for (const [name, v] of p.updates) g.output(v, newName(name));
  const graph = elideOutputIdentities(g.build());
  dropUnusedOutputs(graph); // the target network's MaxPool Indices
  // hp.step only exists for AdamW; drop unused hyper-parameter inputs so ORT does not warn
  const used = new Set<string>();
  for (const n of graph.nodes) for (const i of n.inputs) if (i) used.add(i.name);
  graph.inputs = graph.inputs.filter((v) => used.has(v.name) || !v.name.startsWith('hp.'));
  return { graph, specs: p.specs, stateSpecs, hyper: graph.inputs.filter((v) => v.name.startsWith('hp.')).map((v) => v.name) };
}
