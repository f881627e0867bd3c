// `voxelbase import DIR... [--no-thumbnails]`: imports folders/files into the catalogue. Progress goes to
// stderr (a one-line live bar on a TTY, a line per step otherwise); the summary (or JSON with --json)
// to stdout. Ctrl-C cancels the job cleanly. Exit code 1 when the run failed or was cancelled.
import type { Command } from 'commander';
import type { FileErrorRow, ImportRun, JobProgress } from '../../contract/types.js';
import { globalOptions, withServices } from '../context.js';
import path from 'node:path';
import { exportedBy, startImport, validateImportPaths } from '../../services/import/index.js';

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('import DICOM and NIfTI files from folders (recursively) into the catalogue')
    .argument('<paths...>', 'folders or files to import')
    .option('--no-thumbnails', 'skip making thumbnails (they are made on first view)')
    .option('--export-nifti <dir>', 'also write every imported series as NIfTI into this folder (like dcm2niix)')
    .option('--gzip', 'with --export-nifti: write .nii.gz')
    .action(async (paths: string[], opts: { thumbnails: boolean; exportNifti?: string; gzip?: boolean }, cmd: Command) => {
      const { json } = globalOptions(cmd);
      const result = await withServices(cmd, async (api, services) => {
        const tty = process.stderr.isTTY === true && !json;
        // --export-nifti is CLI-only (a renderer never picks where files are written), so it goes to the
        // service directly; the paths get the same validation as import:start.
        const { job, run } = opts.exportNifti
          ? startImport(services.context, validateImportPaths(paths, services.dataDir), opts.thumbnails, {
              dir: path.resolve(opts.exportNifti),
              gzip: Boolean(opts.gzip),
            })
          : await api.call('import:start', { paths, thumbnails: opts.thumbnails });
        let lastStep = '';
        const off = api.on('job-progress', (p) => {
          if (p.job !== job || p.kind !== 'import') return;
          if (tty) process.stderr.write(`\r${progressLine(p)}\x1b[K`);
          else if (!json && p.step !== lastStep) process.stderr.write(`${p.step}...\n`);
          lastStep = p.step;
        });
        const onSigint = () => void api.call('jobs:cancel', { job });
        process.once('SIGINT', onSigint);
        try {
          const snap = await services.jobs.wait(job);
          if (tty) process.stderr.write('\r\x1b[K');
          const runInfo = (await api.call('import:runs', { limit: 1000 })).find((r) => r.id === run);
          const errors = await api.call('import:errors', { run, limit: 1000 });
          const exported = opts.exportNifti ? exportedBy(services.db, run, opts.exportNifti, Boolean(opts.gzip)) : undefined;
          return { state: snap.state, error: snap.error, run: runInfo!, errors: errors.rows, errorTotal: errors.total, exported };
        } finally {
          off();
          process.off('SIGINT', onSigint);
        }
      });
      if (json) {
        process.stdout.write(`${JSON.stringify({ ok: result.state === 'done', ...result }, null, 2)}\n`);
      } else {
        process.stdout.write(`${formatSummary(result.run, result.errors, result.errorTotal)}\n`);
        for (const e of result.exported ?? []) {
          process.stdout.write(e.written ? `  series ${e.id} -> ${e.out}\n` : `  series ${e.id}: no NIfTI written (see its flags)\n`);
        }
        if (result.error) process.stderr.write(`voxelbase: ${result.error.name}: ${result.error.message}\n`);
      }
      if (result.state !== 'done') process.exitCode = 1;
    });
}

export function progressLine(p: JobProgress<'import'>): string {
  const d = p.detail;
  const width = 24;
  const frac = p.total > 0 ? Math.min(1, p.current / p.total) : 0;
  const bar = p.total > 0 ? `[${'#'.repeat(Math.round(frac * width)).padEnd(width, '.')}] ` : '';
  const parts = [
    `${p.step.padEnd(10)} ${bar}${p.current}${p.total ? `/${p.total}` : ''}`,
    `scanned ${d.filesScanned}`,
    `parsed ${d.filesParsed}`,
    `series ${d.seriesFound}`,
    `errors ${d.errors}`,
  ];
  if (p.rate) parts.push(`${p.rate.toFixed(0)}/s`);
  if (p.etaSeconds !== undefined && Number.isFinite(p.etaSeconds)) parts.push(`ETA ${Math.ceil(p.etaSeconds)}s`);
  return parts.join('  ');
}

export function formatSummary(run: ImportRun, errors: FileErrorRow[], errorTotal: number): string {
  const secs = run.endedAt ? (Date.parse(run.endedAt) - Date.parse(run.startedAt)) / 1000 : NaN;
  const lines = [
    `import run ${run.id}: ${run.state}${Number.isFinite(secs) ? ` in ${secs.toFixed(2)} s` : ''}`,
    `  files scanned ${run.filesScanned}, parsed ${run.filesParsed}, unchanged ${run.filesUnchanged}, missing ${run.filesMissing}`,
    `  series added or updated ${run.seriesTouched}, errors ${run.errors}`,
  ];
  if (run.message) lines.push(`  ${run.message}`);
  if (errors.length) {
    lines.push('problems:');
    for (const e of errors.slice(0, 50)) lines.push(`  ${e.reason.padEnd(12)} ${e.message}`);
    if (errorTotal > 50) lines.push(`  ... and ${errorTotal - 50} more (voxelbase --json import ... lists them all)`);
  }
  return lines.join('\n');
}
