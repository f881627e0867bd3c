// `voxelbase preprocess (--cohort NAME | --series ID,...) [--spacing MM] [--intensity auto|ct|percentile] [--json]`: runs the
// `preprocess` job (canonical RAS, target spacing, modality-aware intensity, foreground box, into the
// cache of the data folder) and prints what was reused, computed and refused. Progress goes to stderr;
// Ctrl-C cancels. Exit code 1 when the job failed or was cancelled, or when any series could not be
// preprocessed (each is listed with its reason; the others are in the cache).
import { Command, InvalidArgumentError } from 'commander';
import type { JobProgress, PreprocessResult } from '../../contract/types.js';
import { globalOptions, withServices } from '../context.js';
import { seriesIds } from '../series-filter-options.js';

/** A voxel size in mm (0.05 to 50), or three of them `XxYxZ`. */
export const spacingArg = (v: string): number | [number, number, number] => {
  const parts = v.trim().split(/\s*[x,]\s*/i).map((p) => (p === '' ? NaN : Number(p)));
  if ((parts.length !== 1 && parts.length !== 3) || parts.some((n) => !Number.isFinite(n) || n < 0.05 || n > 50)) {
    throw new InvalidArgumentError(`"${v}" is not a spacing in mm (0.05 to 50, one value or XxYxZ)`);
  }
  return parts.length === 1 ? parts[0] : (parts as [number, number, number]);
};

export function registerPreprocess(program: Command): void {
  program
    .command('preprocess')
    .description('preprocess series into the training cache (reuses what is cached and unchanged)')
    .option('--cohort <name>', 'every member of this cohort (name or id)')
    .option('--series <ids>', 'series ids, comma-separated (repeatable)', seriesIds)
    .option('--spacing <mm>', 'target voxel size in mm, isotropic or XxYxZ (default 2)', spacingArg)
    .option('--intensity <mode>', 'auto (CT window for CT, percentile z-score otherwise) | ct | percentile')
    .action(async (o: { cohort?: string; series?: number[]; spacing?: number | [number, number, number]; intensity?: string }, cmd: Command) => {
      if (o.intensity && !['auto', 'ct', 'percentile'].includes(o.intensity)) {
        cmd.error(`error: --intensity must be auto, ct or percentile (got "${o.intensity}")`, { exitCode: 2 });
      }
      if ((o.cohort === undefined) === (o.series === undefined)) cmd.error('error: give either --cohort NAME or --series IDS', { exitCode: 2 });
      const { json } = globalOptions(cmd);
      const target = o.cohort !== undefined ? { cohort: /^\d+$/.test(o.cohort) ? Number(o.cohort) : o.cohort } : { series: o.series };
      const settings = { ...(o.spacing !== undefined ? { spacing: o.spacing } : {}), ...(o.intensity ? { intensity: o.intensity as 'auto' } : {}) };
      const snap = await withServices(cmd, async (api, services) => {
        const { job } = await api.call('data:preprocess', { ...target, settings });
        const tty = process.stderr.isTTY === true && !json;
        const off = api.on('job-progress', (p) => {
          if (p.job === job && p.kind === 'preprocess' && tty) process.stderr.write(`\r${progressLine(p)}\x1b[K`);
        });
        const onSigint = () => void api.call('jobs:cancel', { job });
        process.once('SIGINT', onSigint);
        try {
          const done = await services.jobs.wait(job);
          if (tty) process.stderr.write('\r\x1b[K');
          if (done.kind !== 'preprocess') throw new Error(`job ${job} is a ${done.kind} job`);
          return done;
        } finally {
          off();
          process.off('SIGINT', onSigint);
        }
      });
      const result = snap.result;
      const ok = snap.state === 'done' && !!result && result.failed.length === 0;
      if (json) {
        process.stdout.write(`${JSON.stringify({ ok, state: snap.state, error: snap.error, ...(result ?? {}) }, null, 2)}\n`);
      } else {
        if (result) process.stdout.write(`${summary(result)}\n`);
        if (snap.error) process.stderr.write(`voxelbase: ${snap.error.name}: ${snap.error.message}\n`);
        else if (snap.state !== 'done') process.stderr.write(`voxelbase: preprocessing ${snap.state}\n`);
      }
      if (!ok) process.exitCode = 1;
    });
}

function progressLine(p: JobProgress<'preprocess'>): string {
  const d = p.detail;
  return `preprocess ${p.current}/${p.total}  reused ${d.reused}  computed ${d.computed}  failed ${d.failed}${p.etaSeconds !== undefined ? `  ETA ${Math.ceil(p.etaSeconds)}s` : ''}`;
}

export function summary(r: PreprocessResult): string {
  const mb = r.bytesRead / 2 ** 20;
  const lines = [
    `preprocessed ${r.entries.length} series at ${r.settings.spacing.join(' x ')} mm in ${r.seconds.toFixed(1)} s: ${r.computed} computed, ${r.reused} reused from the cache, ${r.failed.length} refused`,
    `  read ${mb.toFixed(1)} MB of source files; cache ${r.settingsKey}`,
  ];
  for (const f of r.failed) lines.push(`  series ${f.seriesId}: ${f.name}: ${f.message}`);
  return lines.join('\n');
}
