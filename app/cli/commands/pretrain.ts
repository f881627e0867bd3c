// `voxelbase pretrain --cohort NAME | --series ID,... [options]`: BYOL pretraining of a 3D ResNet encoder, as the Pretrain screen's
// Start button does (pretrain:plan, then pretrain:start); `voxelbase pretrain --resume RUN` continues a stopped or
// interrupted run from its last checkpoint; `--plan` prints the defaults and the memory estimate without starting.
// Text mode: the plan, then a live line on stderr (a bar with step, loss, samples/s and ETA on a TTY; a line every
// 10% otherwise), then the summary on stdout. --json prints the run (with its id) as JSON. Ctrl-C cancels the
// job cleanly (the run stays resumable). Exit code 1 when the run failed or was cancelled.
import { type Command, InvalidArgumentError, Option } from 'commander';
import type { JobProgress } from '../../contract/types.js';
import type { PretrainOptions, PretrainPlan, RunRecord } from '../../contract/types/runs.js';
import { PRETRAIN_ARCHS } from '../../contract/types/runs.js';
import { globalOptions, withServices } from '../context.js';
import { ValidationError } from '../../contract/errors.js';

const positiveInt = (what: string) => (v: string) => {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`"${v}" is not a positive ${what}`);
  return n;
};
const nonNegativeInt = (v: string) => {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError(`"${v}" is not a non-negative integer`);
  return n;
};
const positiveNumber = (v: string) => {
  const n = v.trim() === '' ? NaN : Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`"${v}" is not a positive number`);
  return n;
};
const ids = (v: string) =>
  v.split(',').map((s) => {
    const n = Number(s.trim());
    if (!/^\d+$/.test(s.trim()) || n < 1) throw new InvalidArgumentError(`"${s}" is not a series id`);
    return n;
  });
const ints = (count: number, what: string) => (v: string) => {
  const n = v.split(/[,x]/).map((s) => Number(s.trim()));
  if (n.length !== count || n.some((x) => !Number.isSafeInteger(x) || x < 1)) throw new InvalidArgumentError(`"${v}" is not ${count} positive integers (${what})`);
  return n;
};
const input = (v: string): number | [number, number, number] => {
  const n = v.split(/[,x]/).map((s) => Number(s.trim()));
  if (!(n.length === 1 || n.length === 3) || n.some((x) => !Number.isSafeInteger(x) || x < 8)) {
    throw new InvalidArgumentError(`"${v}" is not an input box (one edge like 64, or DxHxW like 64x64x48; at least 8)`);
  }
  return n.length === 1 ? n[0] : (n as [number, number, number]);
};

interface Opts {
  cohort?: string;
  series?: number[];
  resume?: number;
  plan?: boolean;
  name?: string;
  provider?: string;
  arch?: PretrainOptions['arch'];
  input?: PretrainOptions['input'];
  spacing?: number;
  batch?: number;
  steps?: number;
  epochs?: number;
  optimizer?: 'lars' | 'adamw';
  lr?: number;
  weightDecay?: number;
  warmup?: number;
  seed?: number;
  tauBase?: number;
  norm?: 'batch' | 'group';
  bnStatistics?: 'per-view' | 'joint';
  threads?: number;
  loaderWorkers?: number;
  widths?: number[];
  heads?: number[];
  checkpointEvery?: number;
  checkpointMinutes?: number;
  keepCheckpoints?: number;
}

function toOptions(o: Opts): PretrainOptions {
  const out: PretrainOptions = {
    arch: o.arch,
    input: o.input,
    spacing: o.spacing,
    batch: o.batch,
    steps: o.steps,
    epochs: o.epochs,
    optimizer: o.optimizer,
    lr: o.lr,
    weightDecay: o.weightDecay,
    warmupSteps: o.warmup,
    seed: o.seed,
    tauBase: o.tauBase,
    norm: o.norm,
    bnStatistics: o.bnStatistics,
    threads: o.threads,
    loaderWorkers: o.loaderWorkers,
    widths: o.widths as PretrainOptions['widths'],
    heads: o.heads ? { projHidden: o.heads[0], projOut: o.heads[1], predHidden: o.heads[2] } : undefined,
    checkpointEvery: o.checkpointEvery,
    checkpointMinutes: o.checkpointMinutes,
    keepCheckpoints: o.keepCheckpoints,
  };
  for (const k of Object.keys(out) as (keyof PretrainOptions)[]) if (out[k] === undefined) delete out[k];
  return out;
}

export function formatPlan(p: PretrainPlan): string {
  const c = p.config;
  const e = p.estimate;
  const opt = c.optimizer.type === 'lars' ? `LARS (momentum ${c.optimizer.momentum}, eta ${c.optimizer.eta})` : `AdamW (betas ${c.optimizer.betas.join(', ')})`;
  const lines = [
    `plan: ${c.arch} (${c.resnet.norm.kind === 'batch' ? `BatchNorm, ${c.bnStatistics} statistics` : 'GroupNorm + weight standardisation'}), ` +
      `input ${c.input.join('x')} at ${c.preprocess.spacing[0]} mm, batch ${c.batch}, ${c.steps} steps${c.epochs ? ` (${c.epochs} epochs)` : ''} on ${p.series} series${p.cohort ? ` of cohort ${p.cohort.name}` : ''}`,
    `  ${opt}, lr ${c.lr.toPrecision(3)} after ${c.warmupSteps} warm-up steps, cosine; weight decay ${c.weightDecay}; tau ${c.tauBase} -> 1; seed ${c.seed}`,
    `  provider ${p.provider} (${p.providers.map((x) => `${x.name} ${x.works ? 'works' : 'no'}`).join(', ')}); ${c.threads} threads, ${c.loaderWorkers} loader workers`,
    `  memory: about ${e.peakMb} MB at peak (parameters and optimiser ${e.parametersMb}, activations ${e.activationsMb}, base ${e.baseMb}); ${e.availableMb} MB available${e.fits ? '' : ' -- DOES NOT FIT'}`,
    `  checkpoints every ${c.checkpoint.everySteps} steps or ${Math.round(c.checkpoint.everySeconds / 60)} min, the last ${c.checkpoint.keep} kept`,
  ];
  for (const n of p.notes) lines.push(`  default: ${n}`);
  for (const x of p.skipped) lines.push(`  left out: series ${x.seriesId}: ${x.reason}`);
  return lines.join('\n');
}

export function progressLine(p: JobProgress<'pretrain'>): string {
  const d = p.detail;
  if (p.step !== 'train') {
    const pre = d.preprocessed ? ` ${d.preprocessed.done}/${d.preprocessed.total} series` : '';
    return `${p.step}...${pre}`;
  }
  const width = 24;
  const frac = d.totalSteps > 0 ? Math.min(1, d.step / d.totalSteps) : 0;
  const parts = [
    `[${'#'.repeat(Math.round(frac * width)).padEnd(width, '.')}] step ${d.step}/${d.totalSteps}`,
    `loss ${d.loss === null ? '-' : d.loss.toFixed(4)}`,
  ];
  if (d.collapseStd !== null) parts.push(`std ${d.collapseStd.toFixed(3)}`);
  if (d.samplesPerSec !== null) parts.push(`${d.samplesPerSec.toFixed(1)} samples/s`);
  if (p.etaSeconds !== undefined && Number.isFinite(p.etaSeconds)) parts.push(`ETA ${formatSeconds(p.etaSeconds)}`);
  if (p.state === 'paused' || p.state === 'pausing') parts.push(p.state);
  return parts.join('  ');
}

const formatSeconds = (s: number) => (s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.ceil(s)}s`);

export function formatRunSummary(r: RunRecord): string {
  const secs = r.endedAt ? (Date.parse(r.endedAt) - Date.parse(r.createdAt)) / 1000 : NaN;
  return [
    `run ${r.id} (${r.name}): ${r.state} at step ${r.step}/${r.totalSteps}${Number.isFinite(secs) ? ` after ${formatSeconds(secs)}` : ''}`,
    `  last loss ${r.lastLoss === null ? '-' : r.lastLoss.toFixed(6)}; provider ${r.provider || '-'}; checkpoint ${r.checkpoint ? `step ${r.checkpoint.step}` : 'none'}`,
    ...(r.message ? [`  ${r.message}`] : []),
  ].join('\n');
}

export function registerPretrain(program: Command): void {
  program
    .command('pretrain')
    .description('pretrain a 3D ResNet encoder with BYOL on a cohort or a set of series (or --resume RUN)')
    .option('--cohort <name>', 'the cohort to train on (name or id): its usable members')
    .option('--series <ids>', 'or series ids to train on, comma-separated', ids)
    .option('--resume <run>', 'continue this run from its last checkpoint', positiveInt('run id'))
    .option('--plan', 'print the defaults and the memory estimate, start nothing')
    .option('--name <name>', 'name of the run')
    .option('--provider <p>', 'execution provider: cpu | cuda | webgpu (default: the first that works)')
    .addOption(new Option('--arch <arch>', 'encoder').choices(PRETRAIN_ARCHS as string[]))
    .option('--input <box>', 'input box in voxels: an edge (64) or DxHxW', input)
    .option('--spacing <mm>', 'voxel size in mm (isotropic)', positiveNumber)
    .option('--batch <n>', 'samples per view per step', positiveInt('batch'))
    .option('--steps <n>', 'training steps', positiveInt('step count'))
    .option('--epochs <n>', 'training length in epochs over the series (instead of --steps)', positiveInt('epoch count'))
    .addOption(new Option('--optimizer <o>', 'optimiser').choices(['lars', 'adamw']))
    .option('--lr <x>', 'peak learning rate', positiveNumber)
    .option('--weight-decay <x>', 'weight decay', (v) => (Number(v) === 0 ? 0 : positiveNumber(v)))
    .option('--warmup <n>', 'warm-up steps', nonNegativeInt)
    .option('--seed <s>', 'random seed (initialisation and augmentations)', nonNegativeInt)
    .option('--tau-base <x>', 'BYOL target EMA base (0.99 short runs, 0.996 long)', positiveNumber)
    .addOption(new Option('--norm <n>', 'normalisation').choices(['batch', 'group']))
    .addOption(new Option('--bn-statistics <s>', 'BatchNorm statistics').choices(['per-view', 'joint']))
    .option('--threads <n>', 'onnxruntime threads', positiveInt('thread count'))
    .option('--loader-workers <n>', 'loader worker threads', nonNegativeInt)
    .option('--widths <w>', 'encoder stage widths, 4 comma-separated (small test networks)', ints(4, 'stage widths'))
    .option('--heads <h>', 'projector hidden, output and predictor hidden sizes, comma-separated', ints(3, 'head sizes'))
    .option('--checkpoint-every <n>', 'write a checkpoint every n steps', positiveInt('step count'))
    .option('--checkpoint-minutes <m>', 'and at least every m minutes', positiveNumber)
    .option('--keep-checkpoints <k>', 'checkpoints kept', positiveInt('count'))
    .action(async (o: Opts, cmd: Command) => {
      const { json } = globalOptions(cmd);
      if (o.resume === undefined && !o.series && o.cohort === undefined) throw new ValidationError('give --cohort NAME or --series ID,... (what to train on), or --resume RUN');
      if (o.cohort !== undefined && o.series) throw new ValidationError('give --cohort or --series, not both');
      if (o.resume !== undefined && (o.series || o.cohort !== undefined)) throw new ValidationError('--resume continues a run with its recorded series and settings; drop --cohort / --series');
      const source = o.cohort !== undefined ? { cohort: /^\d+$/.test(o.cohort) ? Number(o.cohort) : o.cohort } : { series: o.series };
      if (o.steps !== undefined && o.epochs !== undefined) throw new ValidationError('give --steps or --epochs, not both');
      const tty = process.stderr.isTTY === true && !json;
      const outcome = await withServices(cmd, async (api, services) => {
        const options = toOptions(o);
        const forced = o.provider ? { provider: o.provider } : {};
        if (o.plan) {
          return { kind: 'plan' as const, plan: await api.call('pretrain:plan', { ...source, options, ...forced }) };
        }
        let started;
        if (o.resume !== undefined) {
          started = await api.call('pretrain:resume', { run: o.resume, ...forced });
        } else {
          const plan = await api.call('pretrain:plan', { ...source, options, ...forced });
          if (!json) process.stderr.write(`${formatPlan(plan)}\n`);
          started = await api.call('pretrain:start', { ...source, options, ...(o.name ? { name: o.name } : {}), ...forced });
        }
        if (!json) process.stderr.write(`run ${started.run}, job ${started.job}\n`);
        let lastPrinted = -1;
        const off = api.on('job-progress', (p) => {
          if (p.job !== started.job || p.kind !== 'pretrain') return;
          if (tty) process.stderr.write(`\r${progressLine(p)}\x1b[K`);
          else if (!json) {
            const tenth = p.detail.totalSteps ? Math.floor((10 * p.detail.step) / p.detail.totalSteps) : 0;
            if (p.step === 'train' && tenth !== lastPrinted) {
              lastPrinted = tenth;
              process.stderr.write(`${progressLine(p)}\n`);
            }
          }
        });
        const onSigint = () => void api.call('jobs:cancel', { job: started.job });
        process.once('SIGINT', onSigint);
        try {
          const snap = await services.jobs.wait(started.job);
          if (tty) process.stderr.write('\r\x1b[K');
          const run = await api.call('runs:get', { run: started.run });
          const startStep = snap.kind === 'pretrain' ? (snap.result?.startStep ?? null) : null;
          return { kind: 'run' as const, run, state: snap.state, error: snap.error, startStep };
        } finally {
          off();
          process.off('SIGINT', onSigint);
        }
      });
      if (outcome.kind === 'plan') {
        if (json) process.stdout.write(`${JSON.stringify({ ok: true, plan: outcome.plan }, null, 2)}\n`);
        else process.stdout.write(`${formatPlan(outcome.plan)}\n`);
        return;
      }
      const ok = outcome.state === 'done';
      if (json) process.stdout.write(`${JSON.stringify({ ok, run: outcome.run.id, job: outcome.run.job, state: outcome.run.state, startStep: outcome.startStep, record: outcome.run, ...(outcome.error ? { error: outcome.error } : {}) }, null, 2)}\n`);
      else {
        if (outcome.startStep) process.stdout.write(`resumed from the checkpoint at step ${outcome.startStep}\n`);
        process.stdout.write(`${formatRunSummary(outcome.run)}\n`);
        if (outcome.error) process.stderr.write(`voxelbase: ${outcome.error.name}: ${outcome.error.message}\n`);
      }
      if (!ok) process.exitCode = 1;
    });
}
