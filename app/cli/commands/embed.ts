// `voxelbase embed (--run RUN [--step N] | --random DEPTH [--seed N] [--widths A,B,C,D] [--box DxHxW] [--spacing MM])
//  (--cohort NAME | --all | --id N ...) [--threads N] [--json]`: one vector per series with the encoder, as the embed job
// (only new or changed series are embedded; progress on stderr; Ctrl-C cancels, keeping what was stored).
import { Command, InvalidArgumentError } from 'commander';
import type { CallArgs } from '../../contract/api.js';
import type { JobProgress } from '../../contract/jobs.js';
import { globalOptions, withServices } from '../context.js';
import { positiveInt } from '../option-parsers.js';

const ids = (v: string, prev: number[] = []) => [...prev, positiveInt('series id')(v)];
const ints = (count: number, sep: RegExp, what: string) => (v: string) => {
  const parts = v.trim().split(sep).map((p) => (/^\d+$/.test(p) ? Number(p) : NaN));
  if (parts.length !== count || parts.some((p) => !Number.isSafeInteger(p) || p < 1)) throw new InvalidArgumentError(`"${v}" is not ${what}`);
  return parts;
};
const depth = (v: string) => {
  if (!['10', '18', '34', '50'].includes(v)) throw new InvalidArgumentError(`"${v}" is not a ResNet depth (10, 18, 34, 50)`);
  return Number(v) as 10 | 18 | 34 | 50;
};
const mm = (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || n > 100) throw new InvalidArgumentError(`"${v}" is not a spacing in mm`);
  return n;
};

export function registerEmbed(program: Command): void {
  program
    .command('embed')
    .description("embed series with an encoder (only new or changed series; one vector per series: the mean of the encoder's pooled features over tiles of the input box covering the preprocessed volume)")
    .option('--run <id>', "a pretraining run's online encoder (latest checkpoint)", positiveInt('run id'))
    .option('--random <depth>', 'a randomly initialised ResNet of this depth (10, 18, 34, 50)', depth)
    .option('--seed <n>', 'initialisation seed of --random', (v) => Number(v), 0)
    .option('--widths <a,b,c,d>', 'stage widths of --random (default 64,128,256,512)', ints(4, /\s*,\s*/, 'four widths A,B,C,D'))
    .option('--box <DxHxW>', 'input box of --random in voxels (default 64x64x64)', ints(3, /\s*x\s*/i, 'a box DxHxW'))
    .option('--spacing <mm>', 'isotropic preprocessing spacing of --random (default 2)', mm)
    .option('--step <n>', 'with --run: the checkpoint at this step (default the newest)', positiveInt('step'))
    .option('--cohort <name>', "a cohort's usable members (name or id)")
    .option('--all', 'every usable series of the catalogue')
    .option('--id <n>', 'this series (repeatable)', ids)
    .option('--threads <n>', 'encoder threads (default: the cores)', positiveInt('thread count'))
    .action(async (o: Record<string, unknown>, cmd: Command) => {
      const { json } = globalOptions(cmd);
      if ((o.run === undefined) === (o.random === undefined)) throw new InvalidArgumentError('give exactly one of --run RUN or --random DEPTH');
      if ([o.all, o.id, o.cohort].filter(Boolean).length !== 1) throw new InvalidArgumentError('give one of --cohort NAME, --all or --id N (repeatable)');
      const encoder: CallArgs<'embed:start'>['encoder'] =
        o.run !== undefined
          ? { kind: 'run', run: o.run as number, step: o.step as number | undefined }
          : {
              kind: 'random',
              depth: o.random as 10,
              seed: o.seed as number,
              widths: o.widths as [number, number, number, number] | undefined,
              box: o.box as [number, number, number] | undefined,
              spacing: o.spacing ? [o.spacing as number, o.spacing as number, o.spacing as number] : undefined,
            };
      const result = await withServices(cmd, async (api, services) => {
        const { job, model } = await api.call('embed:start', {
          encoder,
          series: o.cohort ? { cohort: /^\d+$/.test(o.cohort as string) ? Number(o.cohort) : (o.cohort as string) } : o.all ? { all: true } : { ids: o.id as number[] },
          threads: o.threads as number | undefined,
        });
        const tty = process.stderr.isTTY === true && !json;
        const off = api.on('job-progress', (p) => {
          if (p.job === job && p.kind === 'embed' && tty) process.stderr.write(`\r${progressLine(p)}\x1b[K`);
        });
        const onSigint = () => void api.call('jobs:cancel', { job });
        process.once('SIGINT', onSigint);
        try {
          const snap = await services.jobs.wait(job);
          if (tty) process.stderr.write('\r\x1b[K');
          return { model, state: snap.state, error: snap.error, result: snap.kind === 'embed' ? snap.result : undefined };
        } finally {
          off();
          process.off('SIGINT', onSigint);
        }
      });
      if (json) process.stdout.write(`${JSON.stringify({ ok: result.state === 'done', ...result }, null, 2)}\n`);
      else {
        const r = result.result;
        process.stdout.write(`model ${result.model.id}: ${result.model.name} (${result.model.dims} dims)\n`);
        if (r) {
          process.stdout.write(`embedded ${r.embedded}, unchanged ${r.unchanged}, failed ${r.failed.length}, ${r.tiles} tiles, ${r.seconds.toFixed(1)} s\n`);
          for (const f of r.failed) process.stdout.write(`  series ${f.seriesId}: ${f.name}: ${f.message}\n`);
        }
        if (result.error) process.stderr.write(`voxelbase: ${result.error.name}: ${result.error.message}\n`);
      }
      if (result.state !== 'done') process.exitCode = 1;
    });
}

function progressLine(p: JobProgress<'embed'>): string {
  const d = p.detail;
  return `${p.step.padEnd(10)} ${p.current}/${p.total}  embedded ${d.embedded}  unchanged ${d.unchanged}  failed ${d.failed}  tiles ${d.tiles}`;
}
