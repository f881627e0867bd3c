// Autotuning of conv formulations per machine (issue #13): on first use of a configuration, every conv signature
// and role its graph uses (collected by building the graph once with a recording planner) that has more than one
// candidate formulation (ops/conv-plan.ts candidateForms: NCDHW Conv, batched Gemm, NCHWc; flipped Conv,
// ConvTranspose, sub-pixel, NCHWc; im2col-conv, im2col-gemm, conv-nc) is timed on this machine
// (tuning/conv-timer.ts) and the fastest is kept. Plans are cached per machine key (CPU model, ISA flags, threads,
// onnxruntime version; tuning/plan-cache.ts), so later runs and other configurations only time what is new.
// `tuning: 'default'` skips all of it and uses the documented default rules (ops/conv-plan.ts). Tuning applies to
// the CPU provider; a graph for another provider (CUDA, WebGPU) gets the default plan without NCHWc, whose ops
// only the CPU provider has.
import { type ConvForm, type ConvPlanner, type ConvSignature, candidateForms, defaultForm } from '../ops/conv-plan.js';
import { machineInfo, machineKey } from '../runtime/machine.js';
import { type CandidateTiming, closeCalls, macsPerSample, resolvedOf, timeCandidates } from './conv-timer.js';
import { type MachinePlan, type TunedChoice, readPlans, writePlan } from './plan-cache.js';

export interface TuningOptions {
  /** Directory of the plan cache (e.g. the app's data folder). Without it, plans are tuned in memory, every time. */
  cacheDir?: string;
  /** Threads the graph will run with (part of the plan's key; default: every logical CPU, as onnxruntime). */
  threads?: number;
  /** Execution providers the graph will run on; tuning applies to ['cpu'] only. */
  executionProviders?: string[];
  /** Largest batch timed (default 16): a signature's candidates are timed at min(batch, maxBatch) samples, fewer where
   *  one sample is already large work (tuningBatch), which keeps tuning to seconds. The real batch matters where the
   *  work per sample is small: the batched-Gemm forms gain with the batch while ORT's per-image Conv does not (layer3
   *  of the ResNet-18 step at 64^3: Conv 7.6 ms against batched Gemm 9.3 ms at 4 samples, but slower at 16). */
  maxBatch?: number;
  /** Called before each signature is timed. */
  onProgress?: (done: number, total: number, signature: string) => void;
}

/** 'default': the documented default plan, no timing. */
export type Tuning = 'default' | TuningOptions;

export interface PlanChoice {
  signature: string;
  form: ConvForm;
  /** What the default rules would have used. */
  defaultForm: ConvForm;
  times?: Record<string, number | string>;
}

export interface PlanReport {
  machine: string;
  /** default: no tuning; cache: every choice came from the cache; tuned: some signatures were timed now. */
  source: 'default' | 'cache' | 'tuned';
  /** Time spent timing candidates now, and in total for the cached plan, in ms. */
  tunedNowMs: number;
  tuningMs: number;
  /** Signatures timed now. */
  tunedNow: number;
  choices: PlanChoice[];
}

const isCpuOnly = (providers?: string[]): boolean => (providers ?? ['cpu']).every((p) => p === 'cpu');

/** Multiply-adds one timed run may cost before the batch is cut (2G: about 30 ms on this 2-core Zen 2). Weight
 *  gradients are timed at up to 12G: their formulations fold the batch into their channels or their contraction, so
 *  their ranking changes with it (the ResNet-18 stem's: conv-nc 41.9 vs nchwc-nc 43.4 ms at 2 samples, 344 vs 235
 *  ms at the step's 16). */
const MACS_PER_RUN: Record<ConvSignature['role'], number> = { forward: 2e9, 'input-grad': 2e9, 'weight-grad': 1.2e10 };

/** Samples a signature's candidates are timed at: min(batch, maxBatch), cut to at least one so that a run stays near
 *  MACS_PER_RUN (forward: the ResNet-18 stem at 64^3, 0.7G multiply-adds a sample, at 2; layer1 at 4; layer3 at 16;
 *  weight gradients: the stem at 16). */
export function tuningBatch(sig: ConvSignature, maxBatch: number): number {
  return Math.max(1, Math.min(sig.x[0], maxBatch, Math.floor(MACS_PER_RUN[sig.role] / macsPerSample(sig))));
}

/** The default rules, with this machine's NCHWc block so that forced NCHWc options work (CPU only). */
export function defaultPlanner(executionProviders?: string[]): ConvPlanner {
  return { choose: () => undefined, nchwcBlock: isCpuOnly(executionProviders) ? machineInfo().nchwcBlock : undefined };
}

/** A planner that answers from a tuned plan (signatures not in it take the default rules). */
export function plannerFromPlan(plan: MachinePlan | undefined, nchwcBlock: number | undefined): ConvPlanner {
  return { choose: (_sig, key) => plan?.choices[key]?.form, times: (key) => plan?.choices[key]?.times, nchwcBlock };
}

/** The conv signatures `build` queries, by key. */
export function collectSignatures(build: (planner: ConvPlanner) => void, nchwcBlock: number | undefined): Map<string, ConvSignature> {
  const seen = new Map<string, ConvSignature>();
  build({ choose: (sig, key) => { seen.set(key, sig); return undefined; }, nchwcBlock });
  return seen;
}

function emptyPlan(threads: number): MachinePlan {
  const m = machineInfo();
  return {
    machine: machineKey(threads), cpuModel: m.cpuModel, isaFlags: m.isaFlags, threads, ortVersion: m.ortVersion, nchwcBlock: m.nchwcBlock,
    updatedAt: new Date().toISOString(), tuningMs: 0, choices: {},
  };
}

/**
 * A planner for the graph that `build` makes (called once here with a recording planner, once more by the caller
 * with the returned one), tuned on this machine unless `tuning` is 'default', and what was chosen.
 */
export async function tuneConvPlan(build: (planner: ConvPlanner) => void, tuning: Tuning): Promise<{ planner: ConvPlanner; report: PlanReport }> {
  const opts = tuning === 'default' ? {} : tuning;
  const threads = opts.threads ?? machineInfo().cores;
  const machine = machineKey(threads);
  if (tuning === 'default' || !isCpuOnly(opts.executionProviders)) {
    return { planner: defaultPlanner(opts.executionProviders), report: { machine, source: 'default', tunedNowMs: 0, tuningMs: 0, tunedNow: 0, choices: [] } };
  }
  const block = machineInfo().nchwcBlock;
  const sigs = collectSignatures(build, block);
  const plan = (opts.cacheDir ? readPlans(opts.cacheDir)[machine] : undefined) ?? emptyPlan(threads);
  // a signature is timed when it has no cached choice, or when a candidate formulation is new since it was timed
  // (a choice without times, written by hand or by a test, stands as it is)
  const todo = [...sigs].filter(([key, sig]) => {
    const forms = candidateForms(sig, resolvedOf(sig), block);
    const cached = plan.choices[key];
    return forms.length > 1 && (!cached || (Object.keys(cached.times).length > 0 && forms.some((f) => !(f in cached.times))));
  });
  const t0 = performance.now();
  const timed: { key: string; sig: ConvSignature; small: ConvSignature; timings: CandidateTiming[] }[] = [];
  for (const [i, [key, sig]] of todo.entries()) {
    opts.onProgress?.(i, todo.length, key);
    const small = { ...sig, x: [tuningBatch(sig, opts.maxBatch ?? 16), ...sig.x.slice(1)] };
    // the default formulation first: it is the reference the others are checked against, and usually fast, so the
    // slow candidates are cut after their warm-up run
    const def = defaultForm(sig, resolvedOf(sig));
    const forms = candidateForms(sig, resolvedOf(sig), block).sort((a, b) => Number(b === def) - Number(a === def));
    timed.push({ key, sig, small, timings: await timeCandidates(small, forms, { threads, nchwcBlock: block }) });
  }
  // close calls are timed again once every signature has had its first round, in new sessions, each candidate
  // keeping its faster round (tuning/conv-timer.ts RETIME_WITHIN): a slow spell of the machine then hits one round,
  // not both. One fresh tune had timed the stem's depth-2d forward at 35.5 ms against 35 for ORT's Conv and lost it
  // (22-27 ms in every other round; AMD EPYC Zen 2, 2 threads: the BYOL step 4.0 -> 4.18 s).
  for (const t of timed) {
    const close = closeCalls(t.timings);
    if (!close.length) continue;
    const again = await timeCandidates(t.small, close.map((c) => c.form), { threads, nchwcBlock: block });
    for (const c of close) {
      const ms = again.find((a) => a.form === c.form)?.ms;
      if (ms !== undefined) c.ms = Math.min(c.ms!, ms);
    }
  }
  for (const { key, sig, timings } of timed) {
    const ok = timings.filter((t) => t.ms !== undefined).sort((a, b) => a.ms! - b.ms!);
    const times: TunedChoice['times'] = {};
    for (const t of timings) times[t.form] = t.ms !== undefined ? Math.round(t.ms * 100) / 100 : t.error!;
    plan.choices[key] = { form: ok[0]?.form ?? defaultForm(sig, resolvedOf(sig)), times };
  }
  const tunedNowMs = performance.now() - t0;
  if (todo.length > 0) {
    plan.tuningMs += tunedNowMs;
    plan.updatedAt = new Date().toISOString();
    if (opts.cacheDir) writePlan(opts.cacheDir, plan);
  }
  const choices: PlanChoice[] = [...sigs].map(([key, sig]) => ({
    signature: key,
    form: plan.choices[key]?.form ?? defaultForm(sig, resolvedOf(sig)),
    defaultForm: defaultForm(sig, resolvedOf(sig)),
    times: plan.choices[key]?.times,
  }));
  return {
    planner: plannerFromPlan(plan, block),
    report: { machine, source: todo.length ? 'tuned' : 'cache', tunedNowMs, tuningMs: plan.tuningMs, tunedNow: todo.length, choices },
  };
}

/** The cached plan of this machine (for `voxelbase info` and benches), or undefined when none was tuned yet. */
export function cachedConvPlan(cacheDir: string, threads = machineInfo().cores): MachinePlan | undefined {
  return readPlans(cacheDir)[machineKey(threads)];
}

/** Every cached plan of this machine (same CPU model, ISA flags and onnxruntime version), one per thread count, fewest
 *  threads first: what `voxelbase info` shows, since the trainer's thread count is a run's choice. */
export function cachedConvPlans(cacheDir: string): MachinePlan[] {
  const m = machineInfo();
  return Object.values(readPlans(cacheDir))
    .filter((p) => p.cpuModel === m.cpuModel && p.ortVersion === m.ortVersion && p.isaFlags?.join(' ') === m.isaFlags.join(' '))
    .sort((a, b) => a.threads - b.threads);
}
