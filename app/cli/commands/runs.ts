// `voxelbase runs list` and `voxelbase runs show RUN`: training runs with their state, step, loss, provider and
// hardware; `show` adds the full configuration, the data it trained on (series, skipped ones, fingerprint), the
// checkpoints and a metrics summary. --json for scripts.
import { type Command, InvalidArgumentError } from 'commander';
import type { RunMetricsPage, RunRecord } from '../../contract/types/runs.js';
import { output, withServices } from '../context.js';

const runId = (v: string) => {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`"${v}" is not a run id`);
  return n;
};

const loss = (v: number | null) => (v === null ? '-' : v.toFixed(4));

export function formatRunList(runs: RunRecord[]): string {
  if (!runs.length) return 'no training runs yet (voxelbase pretrain --series ... starts one)';
  const head = `${'id'.padStart(4)}  ${'state'.padEnd(11)}  ${'step'.padStart(13)}  ${'loss'.padStart(8)}  ${'arch'.padEnd(8)}  ${'provider'.padEnd(8)}  ${'created'.padEnd(20)}  name`;
  return [
    head,
    ...runs.map(
      (r) =>
        `${String(r.id).padStart(4)}  ${r.state.padEnd(11)}  ${`${r.step}/${r.totalSteps}`.padStart(13)}  ${loss(r.lastLoss).padStart(8)}  ${r.config.arch.padEnd(8)}  ${(r.provider || '-').padEnd(8)}  ${r.createdAt.slice(0, 19).padEnd(20)}  ${r.name}`,
    ),
  ].join('\n');
}

export function formatRun(r: RunRecord, m: RunMetricsPage): string {
  const c = r.config;
  const first = m.metrics[0];
  const last = m.metrics[m.metrics.length - 1];
  const lines = [
    `run ${r.id}: ${r.name}`,
    `  state ${r.state}, step ${r.step}/${r.totalSteps}, created ${r.createdAt}${r.endedAt ? `, ended ${r.endedAt}` : ''}`,
    ...(r.message ? [`  ${r.message}`] : []),
    `  encoder ${c.arch} (${c.resnet.block}, layers ${c.resnet.layers.join('-')}, widths ${c.resnet.widths.join('-')}, ${c.resnet.norm.kind} norm), heads ${c.heads.projHidden}->${c.heads.projOut}, predictor ${c.heads.predHidden}`,
    `  input ${c.input.join('x')} at ${c.preprocess.spacing.join('x')} mm, batch ${c.batch}, ${c.optimizer.type} lr ${c.lr} (warm-up ${c.warmupSteps}), weight decay ${c.weightDecay}, tau ${c.tauBase}, seed ${c.seed}`,
    `  provider ${r.provider || '-'}, CPU ${r.hardware.cpu}${r.hardware.gpu ? `, GPU ${r.hardware.gpu}` : ''}, ${r.hardware.threads} threads`,
    r.cohort ? `  cohort ${r.cohort.name} (${r.cohort.members} members, fingerprint ${r.cohort.fingerprint.slice(0, 16)})` : '  cohort: none (a list of series)',
    r.data
      ? `  data: ${r.data.seriesIds.length} series (${r.data.seriesIds.slice(0, 20).join(', ')}${r.data.seriesIds.length > 20 ? ', ...' : ''}), fingerprint ${r.data.fingerprint.slice(0, 16)}${r.data.skipped.length ? `; skipped ${r.data.skipped.map((s) => `${s.seriesId} (${s.reason})`).join('; ')}` : ''}`
      : '  data: not prepared',
    `  checkpoint: ${r.checkpoint ? `step ${r.checkpoint.step} (${r.checkpoint.file})` : 'none'}`,
    first && last
      ? `  metrics: ${m.total} steps; loss ${loss(first.loss)} at step ${first.step} -> ${loss(last.loss)} at step ${last.step}; collapse std ${last.collapseStd?.toFixed(4) ?? '-'}; ${(c.batch / ((last.stepMs + last.waitMs) / 1000)).toFixed(1)} samples/s at the end`
      : '  metrics: none yet',
  ];
  return lines.join('\n');
}

export function registerRuns(program: Command): void {
  const runs = program.command('runs').description('list and inspect training runs');
  runs
    .command('list')
    .description('every training run, newest first')
    .action(async (_o: unknown, cmd: Command) => {
      const list = await withServices(cmd, (api) => api.call('runs:list', {}));
      output(cmd, list, formatRunList);
    });
  runs
    .command('show')
    .description('one run: configuration, data, provider, hardware, checkpoints, metrics')
    .argument('<run>', 'run id', runId)
    .option('--metrics', 'with --json: include every step\'s metrics')
    .action(async (run: number, o: { metrics?: boolean }, cmd: Command) => {
      const result = await withServices(cmd, async (api) => {
        const record = await api.call('runs:get', { run });
        const metrics = await api.call('runs:metrics', { run, maxPoints: o.metrics ? 100000 : 2000 });
        return { record, metrics };
      });
      output(cmd, o.metrics ? { ...result.record, metrics: result.metrics.metrics } : result.record, () => formatRun(result.record, result.metrics));
    });
}
