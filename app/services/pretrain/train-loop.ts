// The training loop of a run, run inside the trainer's own process (app/workers/trainer-process.ts) so the service's
// event loop never waits on a step: it owns the ByolTrainRunner (onnxruntime session) and the batch loader (whose
// own worker threads it creates here), feeds batch k to step k with the scheduled learning rate and tau, reports
// every step, writes checkpoints every N steps or minutes, at a pause and at the end, and holds at pause requests.
//
// Resuming: the newest checkpoint that verifies gives every tensor and the step k; the loader restarts at position k
// (batch k depends only on (seed, k)), the schedules are functions of k, and AdamW's step count is k + 1, so a
// resumed run takes the same steps as an uninterrupted one (bit-identical on the same provider and thread count:
// tests/integration/app/services/pretrain/kill-resume.test.ts).
import { ByolTrainRunner, buildTrainStep, initParams, type TensorData } from '../../../native-models/index.js';
import { createLoader } from '../loader/index.js';
import { checkpointDir, latestCheckpoint, writeCheckpoint } from '../runs/index.js';
import { PretrainError } from '../../contract/errors.js';
import type { PreprocessedEntry } from '../../contract/types/data.js';
import type { PretrainConfig, RunCheckpointRef, RunMetric } from '../../contract/types/runs.js';
import { trainStepConfig } from './config.js';
import { tuningDir } from './tuning-dir.js';
import { learningRateAt, tauAt } from './schedule.js';

export interface TrainLoopInput {
  run: number;
  dataDir: string;
  config: PretrainConfig;
  entries: PreprocessedEntry[];
  /** Execution providers to try, in order. */
  providers: string[];
  /** Continue from the newest valid checkpoint (if any). */
  resume: boolean;
}

export type Control = 'go' | 'pause' | 'stop';

export interface TrainLoopHooks {
  ready(info: { provider: string; startStep: number; buildMs: number; skipped: string[]; providerErrors: string[] }): void;
  step(m: RunMetric): void;
  checkpoint(c: RunCheckpointRef & { bytes: number; ms: number }): void;
  paused(step: number): void;
  /** What to do before the next step. */
  control(): Control;
  /** Resolves when a pause ends: 'go' to continue, 'stop' to end. */
  waitWhilePaused(): Promise<'go' | 'stop'>;
}

export interface TrainLoopResult {
  /** 'done': all steps taken; 'stopped': asked to stop. */
  outcome: 'done' | 'stopped';
  step: number;
  provider: string;
}

const rssMb = () => Math.round((process.memoryUsage.rss() / 2 ** 20) * 10) / 10;

export async function trainLoop(input: TrainLoopInput, hooks: TrainLoopHooks): Promise<TrainLoopResult> {
  const { config, run } = input;
  const t0 = performance.now();
  const stepCfg = trainStepConfig(config);
  const dir = checkpointDir(input.dataDir, run);

  let values: Record<string, TensorData>;
  let start = 0;
  let skipped: string[] = [];
  const found = input.resume ? latestCheckpoint(dir) : { checkpoint: null, skipped: [] };
  skipped = found.skipped;
  if (found.checkpoint) {
    const c = found.checkpoint;
    if (c.run !== run) throw new PretrainError(`checkpoint ${c.file} in run ${run}'s folder belongs to run ${c.run}`);
    if (JSON.stringify(c.config) !== JSON.stringify(config)) throw new PretrainError(`checkpoint ${c.file} was written with another configuration than run ${run} records`);
    values = c.tensors;
    start = c.step;
  } else {
    values = initParams(buildTrainStep(stepCfg).specs, config.seed);
  }

  let runner: ByolTrainRunner | undefined;
  let provider = '';
  const providerErrors: string[] = [];
  for (const p of input.providers) {
    try {
      // conv formulations tuned for this machine on first use and cached in the data folder (CPU provider only;
      // other providers get the default plan)
      runner = await ByolTrainRunner.create(stepCfg, values, {
        executionProviders: [p], intraOpNumThreads: config.threads, adoptValues: true, tuning: { cacheDir: tuningDir(input.dataDir) },
      });
      provider = p;
      break;
    } catch (e) {
      providerErrors.push(`${p}: ${(e as Error).message}`);
    }
  }
  if (!runner) throw new PretrainError(`no execution provider could load the training graph (${providerErrors.join('; ')})`);
  values = {};
  hooks.ready({ provider, startStep: start, buildMs: performance.now() - t0, skipped, providerErrors });

  const total = config.steps;
  const loader = start < total
    ? createLoader({ entries: input.entries, batch: config.batch, box: config.input, seed: config.seed, augment: config.augment, position: start, workers: config.loaderWorkers })
    : undefined;
  const dims = [config.batch, 1, ...config.input];
  let lastCkptStep = found.checkpoint?.step ?? -1;
  let lastCkptTime = performance.now();
  const trainStart = performance.now();

  const save = (k: number) => {
    const c0 = performance.now();
    const ref = writeCheckpoint(dir, { run, step: k, loaderPosition: k, seed: config.seed, config, createdAt: new Date().toISOString() }, runner!.tensors(), config.checkpoint.keep);
    lastCkptStep = k;
    lastCkptTime = performance.now();
    hooks.checkpoint({ ...ref, ms: lastCkptTime - c0 });
  };

  let k = start;
  let outcome: TrainLoopResult['outcome'] = 'done';
  try {
    while (k < total) {
      let c = hooks.control();
      if (c === 'pause') {
        if (lastCkptStep !== k) save(k);
        hooks.paused(k);
        c = await hooks.waitWhilePaused();
      }
      if (c === 'stop') {
        outcome = 'stopped';
        break;
      }
      const w0 = performance.now();
      const b = await loader!.next();
      const w1 = performance.now();
      const lr = learningRateAt(k, total, config.lr, config.warmupSteps);
      const tau = tauAt(k, total, config.tauBase);
      const r = await runner.step(
        { dtype: 'float32', dims, data: b.view1 },
        { dtype: 'float32', dims, data: b.view2 },
        { lr, weightDecay: config.weightDecay, tau, step: k + 1 },
      );
      const w2 = performance.now();
      k++;
      hooks.step({ step: k, loss: r.loss, collapseStd: r.collapseStd ?? null, lr, tau, stepMs: w2 - w1, waitMs: w1 - w0, rssMb: rssMb(), elapsed: (w2 - trainStart) / 1000 });
      if (!Number.isFinite(r.loss)) {
        throw new PretrainError(`run ${run}: the loss became ${r.loss} at step ${k} (training diverged; lower the learning rate)`);
      }
      const due = k % config.checkpoint.everySteps === 0 || performance.now() - lastCkptTime >= config.checkpoint.everySeconds * 1000;
      if (due && k < total) save(k);
    }
    if (outcome === 'done' && lastCkptStep !== total) save(total);
  } finally {
    await loader?.close();
    await runner.release();
  }
  return { outcome, step: k, provider };
}
