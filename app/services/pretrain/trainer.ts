// The pretrain job, service side: plans a run (defaults sized to the machine and the data, memory estimate, provider),
// records it, preprocesses its series into the cache, and trains it in a process of its own
// (app/workers/trainer-process.ts, train-loop.ts; started with native-models' trainingProcessEnv, the allocator
// settings measured for the step's speed and peak memory) while this side turns the trainer's reports into catalogue
// rows (run record, per-step metrics) and job progress, and relays pause / resume / cancel. The job is pausable: a
// pause is taken between steps, after a checkpoint, and holds the trainer (and its memory) until resumed or cancelled.
// A trainer that dies (a native crash, the system's OOM killer) fails the run with its exit signal; the run resumes
// from its newest checkpoint.
// A resumed run (pretrain:resume, `voxelbase pretrain --resume RUN`) trains the steps after its newest valid
// checkpoint with its recorded configuration on its recorded series, after checking their data fingerprint.
import { createHash } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import type { ServiceContext } from '../context.js';
import type { JobContext } from '../jobs/job-manager.js';
import type { JobKinds } from '../../contract/jobs.js';
import { forkChild } from '../../platform/child-processes.js';
import { gpuModel, machineInfo } from '../../platform/machine.js';
import { MemoryBudgetError, PretrainError, deserializeError } from '../../contract/errors.js';
import { ensurePreprocessed, readCacheHeader } from '../preprocess/index.js';
import {
  appendMetrics,
  claimRun,
  createRun,
  getRun,
  isRunLive,
  lastMetric,
  truncateMetrics,
  updateRun,
} from '../runs/index.js';
import type { PreprocessedEntry, PreprocessResult } from '../../contract/types/data.js';
import type {
  PretrainOptions,
  PretrainPlan,
  PretrainProgressDetail,
  PretrainResult,
  PretrainStartResult,
  RunMetric,
  RunRecord,
} from '../../contract/types/runs.js';
import { trainingProcessEnv } from '../../../native-models/index.js';
import { resolveConfig, type PlanFacts } from './config.js';
import { availableMemoryMb, estimateMemory } from './memory-estimate.js';
import { chooseProviders } from './provider.js';
import type { TrainLoopInput } from './train-loop.js';
import type { TrainerCommand, TrainerMessage } from './trainer-protocol.js';
import { resolveSource, type PretrainSource, type ResolvedSource } from './source.js';

type PretrainJob = JobContext<JobKinds, 'pretrain'>;

/** How long a cancelled trainer may take to finish its step before its process is killed. */
const STOP_GRACE_MS = 120_000;

/** Median over the series of their smallest physical extent (mm), from the catalogue's dims and spacing. */
function medianExtentMm(ctx: Pick<ServiceContext, 'db'>, ids: readonly number[]): number | null {
  if (!ids.length) return null;
  const rows = ctx.db
    .prepare(
      `SELECT min(dim_x * spacing_x, dim_y * spacing_y, dim_z * spacing_z) AS e FROM series
       WHERE id IN (SELECT value FROM json_each(?)) AND dim_x IS NOT NULL AND spacing_x IS NOT NULL AND spacing_z IS NOT NULL`,
    )
    .all(JSON.stringify(ids)) as { e: number | null }[];
  const e = rows.map((r) => r.e).filter((v): v is number => v !== null && v > 0).sort((a, b) => a - b);
  return e.length ? e[Math.floor(e.length / 2)] : null;
}

/** Defaults, provider and memory estimate for this source and options (nothing is written). */
export async function planPretrain(ctx: ServiceContext, src: PretrainSource, options: PretrainOptions, provider?: string): Promise<PretrainPlan> {
  return (await plan(ctx, await resolveSource(ctx.db, src), options, provider)).plan;
}

async function plan(ctx: ServiceContext, source: ResolvedSource, options: PretrainOptions, provider?: string): Promise<{ plan: PretrainPlan; candidates: string[] }> {
  const ids = source.seriesIds;
  const choice = await chooseProviders(provider);
  const chosen = choice.candidates[0];
  const m = machineInfo();
  const facts: PlanFacts = { cores: m.cores, availableMb: availableMemoryMb(), gpu: chosen !== 'cpu', series: ids.length, extentMm: medianExtentMm(ctx, ids) };
  let { config, notes } = resolveConfig(options, facts);
  let estimate = estimateMemory(config, facts.availableMb);
  // Halve a defaulted batch until the estimate fits (never below 2 per view).
  if (!estimate.fits && options.batch === undefined) {
    for (let batch = Math.floor(config.batch / 2); batch >= 2; batch = Math.floor(batch / 2)) {
      const retry = resolveConfig({ ...options, batch }, facts);
      const e = estimateMemory(retry.config, facts.availableMb);
      if (!e.fits) continue;
      config = retry.config;
      estimate = e;
      notes = [...retry.notes, `batch lowered to ${batch} to fit in the ${facts.availableMb} MB available`];
      break;
    }
  }
  const cohort = source.cohort ? { id: source.cohort.id, name: source.cohort.name, members: source.cohort.members } : null;
  return {
    plan: { config, cohort, skipped: source.skipped, provider: chosen, providers: choice.probed, estimate, series: ids.length, notes },
    candidates: choice.candidates,
  };
}

function refuseIfTooBig(plan: PretrainPlan): void {
  const e = plan.estimate;
  if (e.fits) return;
  const c = plan.config;
  throw new MemoryBudgetError(
    `${c.arch} at ${c.input.join('x')} voxels, batch ${c.batch}, needs about ${e.peakMb} MB (parameters and optimiser ${e.parametersMb} MB, ` +
      `activations ${e.activationsMb} MB); ${e.availableMb} MB are available: lower the batch, the input box or the architecture`,
  );
}

/** sha256 over the settings key and every series' source fingerprint and voxel CRC, in loader order. */
function dataFingerprint(pre: PreprocessResult): string {
  const h = createHash('sha256').update(pre.settingsKey);
  for (const e of pre.entries) {
    const head = readCacheHeader(e.file).header;
    h.update(`|${e.seriesId}:${head.fingerprint}:${head.crc32}`);
  }
  return h.digest('hex');
}

const emptyDetail = (run: RunRecord): PretrainProgressDetail => ({
  run: run.id,
  step: run.step,
  totalSteps: run.totalSteps,
  loss: run.lastLoss,
  collapseStd: null,
  lr: 0,
  tau: run.config.tauBase,
  samplesPerSec: null,
  dataWait: null,
  rssMb: null,
  provider: run.provider,
  checkpointStep: run.checkpoint?.step ?? null,
  preprocessed: null,
});

/** Starts a new run on `src` as a pretrain job. */
export async function startPretrain(
  ctx: ServiceContext,
  src: PretrainSource,
  options: PretrainOptions,
  extra: { name?: string; provider?: string } = {},
): Promise<PretrainStartResult> {
  const source = await resolveSource(ctx.db, src);
  const { plan: p, candidates } = await plan(ctx, source, options, extra.provider);
  refuseIfTooBig(p);
  const m = machineInfo();
  const run = createRun(ctx.db, {
    name: extra.name ?? `${source.cohort?.name ?? `${p.series} series`} ${p.config.arch}`,
    cohort: source.cohort,
    config: p.config,
    hardware: { cpu: m.cpuModel, threads: p.config.threads },
  });
  return launch(ctx, run, source.seriesIds, candidates, false, source.skipped);
}

/** Continues a stopped run from its newest valid checkpoint. */
export async function resumePretrain(ctx: ServiceContext, runId: number, provider?: string): Promise<PretrainStartResult> {
  const run = getRun(ctx.db, runId);
  if (isRunLive(ctx.db, runId)) throw new PretrainError(`run ${runId} is being trained now (job ${run.job ?? '?'}); pause or cancel it there`);
  if (run.state === 'done') throw new PretrainError(`run ${runId} is done (${run.step} of ${run.totalSteps} steps); nothing to resume`);
  if (!run.data) throw new PretrainError(`run ${runId} ended before its data were prepared; start a new run instead`);
  const candidates = (await chooseProviders(provider)).candidates;
  claimRun(ctx.db, runId, null);
  return launch(ctx, getRun(ctx.db, runId), run.data.seriesIds, candidates, true, run.data.skipped);
}

function launch(ctx: ServiceContext, run: RunRecord, seriesIds: number[], providers: string[], resume: boolean, skipped: ResolvedSource['skipped']): PretrainStartResult {
  const snap = ctx.jobs.start('pretrain', (job) => runJob(ctx, job, run, seriesIds, providers, resume, skipped), {
    queue: 'pretrain',
    pausable: true,
    step: 'prepare',
    current: run.step,
    total: run.totalSteps,
    detail: emptyDetail(run),
  });
  updateRun(ctx.db, run.id, { job: snap.job });
  return { job: snap.job, run: run.id };
}

/** The job: preprocess, train in the worker, record; the run's state follows the job's end. */
async function runJob(ctx: ServiceContext, job: PretrainJob, run: RunRecord, seriesIds: number[], providers: string[], resume: boolean, skipped: ResolvedSource['skipped']): Promise<PretrainResult> {
  try {
    const result = await train(ctx, job, run, seriesIds, providers, resume, skipped);
    return result;
  } catch (e) {
    const cancelled = job.signal.aborted;
    const r = getRun(ctx.db, run.id);
    updateRun(ctx.db, run.id, { state: cancelled ? 'cancelled' : 'failed', message: cancelled ? 'cancelled' : (e as Error).message });
    if (cancelled) return { run: run.id, state: 'cancelled', step: r.step, lastLoss: r.lastLoss, checkpoint: r.checkpoint, startStep: null, trainerPeakRssMb: null };
    throw e;
  }
}

async function train(ctx: ServiceContext, job: PretrainJob, run: RunRecord, seriesIds: number[], providers: string[], resume: boolean, skipped: ResolvedSource['skipped']): Promise<PretrainResult> {
  const config = run.config;
  const detail = emptyDetail(run);
  job.progress({ step: 'preprocess', current: 0, total: seriesIds.length, detail: { preprocessed: { done: 0, total: seriesIds.length } } });
  const pre = await ensurePreprocessed(ctx, seriesIds, {
    settings: config.preprocess,
    signal: job.signal,
    onProgress: (d) => {
      const done = d.reused + d.computed + d.failed;
      job.progress({ current: done, total: d.total, detail: { preprocessed: { done, total: d.total } } });
    },
  });
  const fingerprint = dataFingerprint(pre);
  if (resume && run.data && run.data.fingerprint !== fingerprint) {
    throw new PretrainError(`run ${run.id}'s data changed since it started (a series was re-imported, edited or removed); its steps cannot be repeated — start a new run`);
  }
  const failed = pre.failed.map((f) => ({ seriesId: f.seriesId, reason: f.message }));
  const data = { seriesIds: pre.entries.map((e) => e.seriesId), skipped: resume ? skipped : [...skipped, ...failed], settingsKey: pre.settingsKey, fingerprint };
  if (!resume) updateRun(ctx.db, run.id, { data });
  job.throwIfCancelled();
  job.progress({ step: 'build', current: run.step, total: config.steps, detail: { preprocessed: null } });
  return trainInProcess(ctx, job, run, pre.entries, providers, resume, detail);
}

function trainInProcess(
  ctx: ServiceContext,
  job: PretrainJob,
  run: RunRecord,
  entries: PreprocessedEntry[],
  providers: string[],
  resume: boolean,
  detail: PretrainProgressDetail,
): Promise<PretrainResult> {
  const input: TrainLoopInput = { run: run.id, dataDir: ctx.dataDir, config: run.config, entries, providers, resume };
  const trainer: ChildProcess = forkChild(import.meta.url, '../../workers/trainer-process.js', { env: trainingProcessEnv(process.env) });
  const send = (c: TrainerCommand) => {
    if (trainer.connected) trainer.send(c);
  };
  send({ t: 'start', input });
  const recent: RunMetric[] = [];
  let pending: RunMetric[] = [];
  let lastFlush = 0;
  let pauseSent = false;
  let stopSent = false;
  let last: RunMetric | null = null;
  let startStep: number | null = null;

  const flush = () => {
    if (!pending.length) return;
    appendMetrics(ctx.db, run.id, pending);
    const m = pending[pending.length - 1];
    updateRun(ctx.db, run.id, { step: m.step, lastLoss: m.loss });
    pending = [];
    lastFlush = performance.now();
  };
  let killTimer: NodeJS.Timeout | undefined;
  const stop = () => {
    if (stopSent) return;
    stopSent = true;
    send({ t: 'stop' });
    // A step that does not end (a hung provider) must not keep the job alive.
    killTimer = setTimeout(() => trainer.kill('SIGKILL'), STOP_GRACE_MS);
    killTimer.unref();
  };
  job.signal.addEventListener('abort', stop, { once: true });
  // A pause request reaches the trainer at once (it takes it between steps, after a checkpoint).
  const askPause = () => {
    if (pauseSent || stopSent) return;
    pauseSent = true;
    send({ t: 'pause' });
  };
  const offPause = job.onPauseRequest(askPause);
  if (job.pauseRequested) askPause();

  return new Promise<PretrainResult>((resolve, reject) => {
    let settled = false;
    const finish = (err: Error | null, result?: PretrainResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(killTimer);
      job.signal.removeEventListener('abort', stop);
      offPause();
      try {
        flush();
      } catch {
        /* the database may be closing */
      }
      if (trainer.exitCode === null && trainer.signalCode === null) trainer.kill('SIGKILL');
      if (err) reject(err);
      else resolve(result!);
    };
    trainer.on('message', (m: TrainerMessage) => {
      try {
        switch (m.t) {
          case 'ready': {
            const hw = { cpu: machineInfo().cpuModel, threads: run.config.threads, ...(m.provider === 'cpu' ? {} : { gpu: gpuModel() ?? m.provider }) };
            // A resumed run takes the steps after its checkpoint again: their old metrics go.
            startStep = m.startStep;
            truncateMetrics(ctx.db, run.id, m.startStep);
            const before = m.startStep > 0 ? lastMetric(ctx.db, run.id) : null;
            updateRun(ctx.db, run.id, { provider: m.provider, hardware: hw, step: m.startStep, lastLoss: before?.loss ?? null });
            detail.provider = m.provider;
            job.progress({ step: 'train', current: m.startStep, total: run.config.steps, detail: { provider: m.provider, step: m.startStep } });
            break;
          }
          case 'step': {
            const s = m.metric;
            last = s;
            pending.push(s);
            recent.push(s);
            if (recent.length > 20) recent.shift();
            const wall = recent.reduce((a, r) => a + r.stepMs + r.waitMs, 0);
            const wait = recent.reduce((a, r) => a + r.waitMs, 0);
            if (performance.now() - lastFlush > 500) flush();
            job.progress({
              step: 'train',
              current: s.step,
              total: run.config.steps,
              detail: {
                step: s.step,
                loss: s.loss,
                collapseStd: s.collapseStd,
                lr: s.lr,
                tau: s.tau,
                rssMb: s.rssMb,
                samplesPerSec: wall > 0 ? (recent.length * run.config.batch * 1000) / wall : null,
                dataWait: wall > 0 ? wait / wall : null,
              },
            });
            break;
          }
          case 'checkpoint':
            flush();
            updateRun(ctx.db, run.id, { checkpoint: { step: m.step, file: m.file } });
            job.progress({ detail: { checkpointStep: m.step } });
            break;
          case 'paused':
            flush();
            updateRun(ctx.db, run.id, { state: 'paused' });
            job
              .pausePoint()
              .then(() => {
                pauseSent = false;
                updateRun(ctx.db, run.id, { state: 'running' });
                send({ t: 'resume' });
              })
              .catch(() => stop());
            break;
          case 'end': {
            flush();
            const r = getRun(ctx.db, run.id);
            const state = m.outcome === 'done' ? 'done' : 'cancelled';
            updateRun(ctx.db, run.id, { state, step: m.step, message: m.outcome === 'done' ? null : 'cancelled' });
            finish(null, { run: run.id, state, step: m.step, lastLoss: last?.loss ?? r.lastLoss, checkpoint: getRun(ctx.db, run.id).checkpoint, startStep, trainerPeakRssMb: m.peakRssMb });
            break;
          }
          case 'error':
            finish(deserializeError(m.error));
            break;
        }
      } catch (e) {
        stop();
        finish(e as Error);
      }
    });
    trainer.on('error', (e) => finish(new PretrainError(`the trainer of run ${run.id} could not run: ${e.message}`)));
    trainer.on('exit', (code, signal) =>
      finish(
        new PretrainError(
          `the trainer of run ${run.id} ${signal ? `was killed by ${signal}` : `exited with code ${code}`} before it finished` +
            (signal === 'SIGKILL' ? ' (by the system when memory ran out, or from outside)' : '') +
            '; resume the run to continue from its newest checkpoint',
        ),
      ),
    );
  });
}
