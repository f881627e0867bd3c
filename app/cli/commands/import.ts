// `voxelbase import DIR... [--no-thumbnails]`: imports folders/files into the catalogue. Progress goes to
// stderr (a one-line live bar on a TTY, a line per step otherwise); the summary (or JSON with --json)
// to stdout, with every file not imported and its reason (the contract's words). Ctrl-C cancels the job
// cleanly. Exit status (EXIT_HELP): 0 usable series found, 1 failed or cancelled, 2 no usable series.
import type { Command } from 'commander';
import {
  NOT_IMPORTED_REASON_LABELS,
  foundNothingUsable,
  type ImportRun,
  type JobProgress,
  type NotImportedFile,
} from '../../contract/types.js';
import { globalOptions, withServices } from '../context.js';
import path from 'node:path';
import { exportedBy, startImport, validateImportPaths } from '../../services/import/index.js';

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('import DICOM and NIfTI files from folders (recursively) into the catalogue')
    .argument('<paths...>', 'folders or files to import')
    .option('--no-thumbnails', 'skip making thumbnails (they are made on first view; pixel data are then not checked)')
    .option('--export-nifti <dir>', 'also write every imported series as NIfTI into this folder (like dcm2niix)')
    .option('--gzip', 'with --export-nifti: write .nii.gz')
    .addHelpText('after', EXIT_HELP)
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
          const notImported = await api.call('import:notImported', { run, limit: 1000 });
          const exported = opts.exportNifti ? exportedBy(services.db, run, opts.exportNifti, Boolean(opts.gzip)) : undefined;
          return {
            state: snap.state,
            error: snap.error,
            run: runInfo!,
            notImported: notImported.rows,
            notImportedTotal: notImported.total,
            exported,
          };
        } finally {
          off();
          process.off('SIGINT', onSigint);
        }
      });
      const nothingUsable = foundNothingUsable(result.run);
      if (json) {
        process.stdout.write(`${JSON.stringify({ ok: result.state === 'done' && !nothingUsable, nothingUsable, ...result }, null, 2)}\n`);
      } else {
        process.stdout.write(`${formatSummary(result.run, result.notImported, result.notImportedTotal)}\n`);
        for (const e of result.exported ?? []) {
          process.stdout.write(e.written ? `  series ${e.id} -> ${e.out}\n` : `  series ${e.id}: no NIfTI written (see its flags)\n`);
        }
        if (result.error) process.stderr.write(`voxelbase: ${result.error.name}: ${result.error.message}\n`);
      }
      process.exitCode = result.state !== 'done' ? 1 : nothingUsable ? 2 : 0;
    });
}

export const EXIT_HELP = `
Exit status:
  0  the import finished and the paths hold at least one usable series
  1  the import failed or was cancelled (Ctrl-C)
  2  the import finished but found no usable series under the paths (every file
     not imported, or only series that cannot be used: see the list printed)`;

export function progressLine(p: JobProgress<'import'>): string {
  const d = p.detail;
  const width = 24;
  const frac = p.total > 0 ? Math.min(1, p.current / p.total) : 0;
  const bar = p.total > 0 ? `[${'#'.repeat(Math.round(frac * width)).padEnd(width, '.')}] ` : '';
  const parts = [
    `${p.step.padEnd(10)} ${bar}${p.current}${p.total ? `/${p.total}` : ''}`,
    `scanned ${d.filesScanned}`,
    `read ${d.filesRead}`,
    `series ${d.seriesFound}`,
    `not imported ${d.notImported}`,
  ];
  if (p.rate) parts.push(`${p.rate.toFixed(0)}/s`);
  if (p.etaSeconds !== undefined && Number.isFinite(p.etaSeconds)) parts.push(`ETA ${Math.ceil(p.etaSeconds)}s`);
  return parts.join('  ');
}

export function formatSummary(run: ImportRun, notImported: NotImportedFile[], total: number): string {
  const secs = run.endedAt ? (Date.parse(run.endedAt) - Date.parse(run.startedAt)) / 1000 : NaN;
  const lines = [
    `import run ${run.id}: ${run.state}${Number.isFinite(secs) ? ` in ${secs.toFixed(2)} s` : ''}`,
    `  files scanned ${run.filesScanned} = imported ${run.filesImported} + unchanged ${run.filesUnchanged} + not imported ${run.notImported}` +
      (run.filesMissing ? `; gone from disk ${run.filesMissing}` : ''),
    `  series found ${run.seriesFound}, usable ${run.seriesUsable}; added or updated by this run ${run.seriesTouched}`,
  ];
  if (foundNothingUsable(run)) lines.push('  warning: no usable series found under these paths');
  if (run.message) lines.push(`  ${run.message}`);
  if (notImported.length) {
    lines.push('files not imported:');
    const label = (r: string) => NOT_IMPORTED_REASON_LABELS[r as keyof typeof NOT_IMPORTED_REASON_LABELS] ?? r;
    for (const e of notImported.slice(0, 50)) lines.push(`  ${label(e.reason).padEnd(20)} ${e.message}`);
    if (total > 50) lines.push(`  ... and ${total - 50} more (voxelbase --json import ... lists them all)`);
  }
  return lines.join('\n');
}
