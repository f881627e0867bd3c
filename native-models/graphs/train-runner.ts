// Runs the BYOL train-step graph (graphs/train-step.ts) step after step, keeping parameters, buffers and optimiser
// state as host tensors that go in by name and come back by name. Outputs are written by ORT into pre-allocated
// buffers (GraphSession.run with a fetch record), so the hot loop allocates and copies nothing:
// - in place where graphs/in-place.ts proves it safe (target parameters, optimiser state, BN running statistics):
//   `new.X` is written into the very buffer fed as X;
// - double-buffered otherwise (online parameters, which the backward pass reads): the `new.X` buffer of step k is
//   the `X` feed of step k+1, and the old `X` buffer receives step k+1's output.
// num_batches_tracked (MONAI/PyTorch BN buffer) is counted here as PyTorch counts it: once per training forward, so
// twice per step with per-view BN statistics (each view is its own forward) and once with 'joint'. tensors() carries
// it under PyTorch's key next to every running_mean, so a checkpoint resumes the count.
import type { TensorData } from '../ir/tensor.js';
import { typedArrayFor } from '../ir/dtype.js';
import { GraphError } from '../ir/errors.js';
import { GraphSession, type RunOptions } from '../runtime/session.js';
import { collectGarbage } from '../runtime/gc.js';
import { inPlaceSafe } from '../passes/in-place.js';
import { type PlanReport, type Tuning, tuneConvPlan } from '../tuning/autotune.js';
import { COLLAPSE_STD, type TrainStepConfig, type TrainStepGraph, buildTrainStep, newName } from './train-step.js';

export interface StepHyper {
  lr: number;
  weightDecay: number;
  tau: number;
  /** 1-based step count (AdamW). */
  step: number;
}

/** What one step reports. */
export interface StepResult {
  /** The BYOL loss of this step (before the update). */
  loss: number;
  /** Collapse indicator of the online projections (models/byol.ts collapseStd): about 1/sqrt(projOut) when healthy,
   *  0 when collapsed; undefined when the step was built with `collapseMonitor: false`. */
  collapseStd: number | undefined;
}

export interface RunnerOptions extends RunOptions {
  /** Write the outputs that graphs/in-place.ts proves safe into their own input buffers (default true). */
  inPlaceUpdates?: boolean;
  /** Use the arrays of `values` as the live buffers where dtype and size fit, instead of copying them: the runner
   *  then owns them and overwrites them step by step (saves one copy of every parameter). Default false. */
  adoptValues?: boolean;
  /** Run a full garbage collection after each step, so that onnxruntime-node's copies of the outputs are freed
   *  before the next step (runtime/gc.ts; default true). */
  collectGarbage?: boolean;
  /** Conv formulations: 'default' (the documented default rules; the default), or tuned on this machine on first use
   *  and cached in `cacheDir` (tuning/autotune.ts). Threads and providers come from these options. */
  tuning?: Tuning;
}

export class ByolTrainRunner {
  private cur: Record<string, TensorData> = {};
  private next: Record<string, TensorData> = {};
  private readonly hp: Record<string, TensorData> = {};
  private readonly loss: TensorData;
  private readonly collapse: TensorData | undefined;
  private batchesTracked = 0;
  private collect = true;
  /** Shape of each carried tensor's `new.` output (its own, or the optimiser's panel view, optim/axpby.ts). */
  private readonly outDims = new Map<string, number[]>();

  private constructor(
    readonly session: GraphSession,
    readonly graph: TrainStepGraph,
    readonly config: TrainStepConfig,
    /** names of fed tensors that have a `new.` output */
    private readonly carried: string[],
    /** carried names updated in place (no second buffer) */
    private readonly inPlace: ReadonlySet<string>,
    /** The conv plan the step was built with and how it was obtained. */
    readonly convPlan: PlanReport,
  ) {
    const dtype = config.dtype ?? 'float32';
    for (const n of graph.hyper) this.hp[n] = { dtype, dims: [], data: typedArrayFor(dtype, 1) };
    this.loss = { dtype, dims: [], data: typedArrayFor(dtype, 1) };
    this.collapse = session.outputNames.includes(COLLAPSE_STD) ? { dtype, dims: [], data: typedArrayFor(dtype, 1) } : undefined;
  }

  /** Build, serialise and load the graph; `values` must hold every parameter and buffer (state defaults to 0). */
  static async create(config: TrainStepConfig, values: Record<string, TensorData>, opts: RunnerOptions = {}): Promise<ByolTrainRunner> {
    const tuned = await tuneConvPlan((convPlanner) => buildTrainStep(config, { convPlanner }), tuningFor(opts));
    const graph = buildTrainStep(config, { convPlanner: tuned.planner });
    // ORT's CPU arena keeps every region it grew (BFC, power-of-two extension): off, the step's freed activations go
    // back to the allocator (peak RSS 2065 -> 1702 MB at 8 x 64^3 with runtime/process-env.ts; README, Memory).
    // ORT's memory pattern (one planned block for all intermediates, allocated from the second run on) is on: with
    // the arena off that block is one mmap per run, faulted in once, instead of a fresh mmap per activation (ResNet-18
    // 64^3 step: 4.42-4.48 -> 4.20-4.27 s, peak RSS 1458 -> 1496 MB, minor faults per run / 2; README, Memory). With
    // the arena on it had sat next to the first run's blocks (+1 GB peak).
    const session = await GraphSession.create(graph.graph, { enableMemPattern: true, enableCpuMemArena: false, ...opts });
    const outputs = new Set(session.outputNames);
    const dtype = config.dtype ?? 'float32';
    const carried = session.inputNames.filter((n) => outputs.has(newName(n)));
    const inPlace = opts.inPlaceUpdates === false ? new Set<string>() : inPlaceSafe(graph.graph, carried, newName);
    const r = new ByolTrainRunner(session, graph, config, carried, inPlace, tuned.report);
    r.collect = opts.collectGarbage ?? true;
    for (const [k, v] of Object.entries(values)) {
      if (k.endsWith('.num_batches_tracked')) r.batchesTracked = Math.max(r.batchesTracked, Number(v.data[0]));
    }
    const outDims = new Map(graph.graph.outputs.map((v) => [v.name, v.shape as number[]]));
    const dims = new Map<string, number[]>([...graph.specs.map((s) => [s.name, s.dims] as const), ...graph.stateSpecs.map((s) => [s.name, s.dims] as const)]);
    for (const n of carried) {
      const d = dims.get(n);
      if (!d) throw new GraphError(`no shape for ${n}`, 'ByolTrainRunner', n);
      const size = d.reduce((a, b) => a * b, 1);
      const given = values[n];
      if (given && given.data.length !== size) throw new GraphError(`${n} has ${given.data.length} values, needs ${size}`, 'ByolTrainRunner', n);
      const adopt = opts.adoptValues && given && given.dtype === dtype;
      const data = adopt ? given.data : typedArrayFor(dtype, size);
      if (given) {
        if (!adopt) (data as Float32Array).set(given.data as Float32Array);
      } else if (!n.startsWith('state.')) {
        throw new GraphError(`no initial value for ${n}`, 'ByolTrainRunner', n);
      }
      r.cur[n] = { dtype, dims: d, data };
      // the output may be the panel view of the tensor (optim/axpby.ts): fetch with the output's shape
      const od = outDims.get(newName(n));
      if (!od || od.reduce((a, b) => a * b, 1) !== size) throw new GraphError(`output ${newName(n)} does not have ${size} values`, 'ByolTrainRunner', n);
      r.outDims.set(n, od);
      if (!inPlace.has(n)) r.next[newName(n)] = { dtype, dims: od, data: typedArrayFor(dtype, size) };
    }
    return r;
  }

  /** One step on two views [B, C, D, H, W]; returns the loss and the collapse indicator. */
  async step(view1: TensorData, view2: TensorData, hp: StepHyper): Promise<StepResult> {
    const set = (n: string, v: number) => { if (this.hp[n]) this.hp[n].data[0] = v; };
    set('hp.lr', hp.lr);
    set('hp.weight_decay', hp.weightDecay);
    set('hp.tau', hp.tau);
    set('hp.step', hp.step);
    const feeds: Record<string, TensorData> = { ...this.cur, ...this.hp, view1, view2 };
    const fetches: Record<string, TensorData> = { ...this.next, loss: this.loss };
    if (this.collapse) fetches[COLLAPSE_STD] = this.collapse;
    for (const n of this.inPlace) fetches[newName(n)] = { ...this.cur[n], dims: this.outDims.get(n)! };
    await this.session.run(feeds, fetches);
    // the binding's copies of every output (runtime/gc.ts): freed now, before the next step allocates. Not in this
    // turn: the resolved run's record of copies is still reachable from the frames that awaited it
    if (this.collect) await new Promise<void>((resolve) => setImmediate(() => { collectGarbage(); resolve(); }));
    // swap: outputs become the next feeds, old feeds become the next output buffers (each under its own shape)
    for (const n of this.carried) {
      if (this.inPlace.has(n)) continue;
      const o = newName(n);
      const fed = this.cur[n];
      this.cur[n] = { ...fed, data: this.next[o].data };
      this.next[o] = { ...this.next[o], data: fed.data };
    }
    this.batchesTracked += this.config.bnStatistics === 'joint' ? 1 : 2;
    return { loss: Number(this.loss.data[0]), collapseStd: this.collapse ? Number(this.collapse.data[0]) : undefined };
  }

  /** Current parameters, buffers and optimiser state by name (views of the live buffers: copy to keep), with each
   *  BN layer's num_batches_tracked (int64 scalar) as in a PyTorch state dict. */
  tensors(): Record<string, TensorData> {
    const out: Record<string, TensorData> = { ...this.cur };
    for (const k of Object.keys(this.cur)) {
      if (k.endsWith('.running_mean')) {
        out[k.replace(/running_mean$/, 'num_batches_tracked')] = { dtype: 'int64', dims: [], data: BigInt64Array.from([BigInt(this.batchesTracked)]) };
      }
    }
    return out;
  }

  /** MONAI/PyTorch state dict of one network part (e.g. 'online.encoder.'), num_batches_tracked included. */
  stateDict(prefix: string): Record<string, TensorData> {
    const out: Record<string, TensorData> = {};
    for (const [k, v] of Object.entries(this.tensors())) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
    return out;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

/** The runner's tuning request with its session's threads and providers. */
function tuningFor(opts: RunnerOptions): Tuning {
  const t = opts.tuning ?? 'default';
  if (t === 'default') return t;
  return { ...t, threads: t.threads ?? opts.intraOpNumThreads, executionProviders: t.executionProviders ?? opts.executionProviders };
}
