// Child process of bench/train-step.ts (so that its peak RSS is its own): runs the Voxelbase BYOL step or the
// encoder inference graph and prints one JSON line {"times_ms": [...], "peak_rss_mb": ..., "build_ms": ...}.
// argv: mode(tune|train|encode) batch size warmup steps threads [json options: session, conv formulations, recompute,
// tuning ('default' or {cacheDir}; default: tuned, cached in bench/.out/tuning)]. The JSON line also carries the
// conv plan's summary (tuning time, formulations chosen).
// BENCH_TRACE=1 prints each step's time and the peak RSS so far to stderr.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ByolTrainRunner,
  GraphSession,
  Philox,
  type ConvPlanner,
  type PlanReport,
  type RunOptions,
  type Tuning,
  type TensorData,
  type TrainStepConfig,
  buildEncoder,
  buildTrainStep,
  initParams,
  resnetPreset,
  tuneConvPlan,
} from '../native-models/index.js';

export function benchConfig(batch: number, size: number): TrainStepConfig {
  return {
    encoder: resnetPreset(18),
    heads: { projHidden: 4096, projOut: 256, predHidden: 4096 },
    optimizer: { type: 'lars', momentum: 0.9, eta: 1e-3 },
    batch,
    inputShape: [1, size, size, size],
  };
}

function peakRssMb(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : process.resourceUsage().maxRSS / 1024;
}

function randomView(n: number, size: number, seed: number): TensorData {
  const r = new Philox(seed);
  const d = new Float32Array(n * size ** 3);
  for (let i = 0; i < d.length; i++) d[i] = r.normal();
  return { dtype: 'float32', dims: [n, 1, size, size, size], data: d };
}

/** The online encoder's parameters under the encoder's own names. */
function encoderParams(all: Record<string, TensorData>): Record<string, TensorData> {
  const enc: Record<string, TensorData> = {};
  for (const [k, v] of Object.entries(all)) if (k.startsWith('online.encoder.')) enc[k.slice('online.encoder.'.length)] = v;
  return enc;
}

export default async function child(args: string[]): Promise<void> {
  const [mode, batch, size, warmup, steps, threads] = args.slice(0, 6);
  const extra = args[6] ? (JSON.parse(args[6]) as { session?: RunOptions; conv?: TrainStepConfig['conv']; recompute?: boolean; tuning?: Tuning }) : {};
  const tuning: Tuning = extra.tuning ?? { cacheDir: join(dirname(fileURLToPath(import.meta.url)), '.out', 'tuning') };
  const cfg = { ...benchConfig(+batch, +size), conv: extra.conv, recompute: extra.recompute };
  const ropts: RunOptions = { intraOpNumThreads: +threads, interOpNumThreads: 1, ...extra.session };
  const t0 = performance.now();
  // parameters are made where they are used, so that no second copy stays alive next to the runner's buffers
  const params = (): Record<string, TensorData> => initParams(buildTrainStep({ ...cfg, batch: 2, inputShape: [1, 16, 16, 16] }).specs, 1);
  const v1 = randomView(+batch, +size, 1);
  const v2 = randomView(+batch, +size, 2);
  const times: number[] = [];
  let buildMs = 0;
  let plan: PlanReport | undefined;
  if (mode === 'tune') {
    // the one-time tuning of this machine's plan for the step and the encoder, in its own process, so that the
    // training process's peak RSS is the training's (tuning holds its own candidate graphs' buffers)
    const threadsN = +threads;
    if (tuning !== 'default') {
      const step = await tuneConvPlan((convPlanner) => buildTrainStep(cfg, { convPlanner }), { ...tuning, threads: threadsN });
      const enc = await tuneConvPlan((convPlanner) => buildEncoder(cfg.encoder, encoderParams(params()), { spatial: [+size, +size, +size], batch: +batch, convPlanner }), { ...tuning, threads: threadsN });
      plan = { ...step.report, tunedNowMs: step.report.tunedNowMs + enc.report.tunedNowMs, tuningMs: enc.report.tuningMs, tunedNow: step.report.tunedNow + enc.report.tunedNow, choices: [...step.report.choices, ...enc.report.choices] };
    }
    buildMs = performance.now() - t0;
  } else if (mode === 'train') {
    const runner = await ByolTrainRunner.create(cfg, params(), { ...ropts, adoptValues: true, tuning });
    buildMs = performance.now() - t0;
    plan = runner.convPlan;
    for (let i = 0; i < +warmup + +steps; i++) {
      const t = performance.now();
      const { loss } = await runner.step(v1, v2, { lr: 0.1, weightDecay: 1.5e-6, tau: 0.99, step: i + 1 });
      if (!Number.isFinite(loss)) throw new Error(`loss is ${loss} at step ${i}`);
      if (i >= +warmup) times.push(performance.now() - t);
      if (process.env.BENCH_TRACE) console.error(`step ${i}: ${(performance.now() - t).toFixed(0)} ms, peak RSS ${peakRssMb().toFixed(0)} MB`);
    }
    if (ropts.profileFilePrefix) console.error(`profile: ${runner.session.endProfiling()}`);
  } else {
    const enc = encoderParams(params());
    // as the embedder runs it (app/services/embed/volume-embedder.ts): a static batch, constant (BN-folded) weights
    const build = (convPlanner?: ConvPlanner) => buildEncoder(cfg.encoder, enc, { spatial: [+size, +size, +size], batch: +batch, convPlanner });
    const tuned = await tuneConvPlan(build, tuning === 'default' ? tuning : { ...tuning, threads: +threads });
    plan = tuned.report;
    const session = await GraphSession.create(build(tuned.planner), ropts);
    buildMs = performance.now() - t0;
    for (let i = 0; i < +warmup + +steps; i++) {
      const t = performance.now();
      await session.run({ image: v1 });
      if (i >= +warmup) times.push(performance.now() - t);
    }
    if (ropts.profileFilePrefix) console.error(`profile: ${session.endProfiling()}`);
  }
  const forms: Record<string, number> = {};
  for (const c of plan?.choices ?? []) forms[`${c.signature.split(' ')[0]}:${c.form}`] = (forms[`${c.signature.split(' ')[0]}:${c.form}`] ?? 0) + 1;
  const planSummary = plan && { source: plan.source, tuned_now_ms: Math.round(plan.tunedNowMs), tuning_ms: Math.round(plan.tuningMs), forms };
  console.log(JSON.stringify({ times_ms: times, peak_rss_mb: peakRssMb(), build_ms: buildMs, plan: planSummary }));
}

if (process.argv[1]?.endsWith('_train-step-child.ts')) await child(process.argv.slice(2));
