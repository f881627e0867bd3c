// `voxelbase export RUN --out DIR [--format onnx,safetensors,card] [--keys monai|medicalnet] [--step N]
// [--licence TEXT]`: exports a pretraining run's encoder (export:start, an 'export' job) into a new folder DIR,
// which appears whole when the export is done (nothing there if it fails or is cancelled). Progress goes to stderr,
// the files (or JSON with --json) to stdout; Ctrl-C cancels. Exit code 1 when the export failed or was cancelled.
import { Command, InvalidArgumentError } from 'commander';
import type { ExportFormat, ExportRecord } from '../../contract/types.js';
import { globalOptions, withServices } from '../context.js';

const FORMATS: readonly ExportFormat[] = ['onnx', 'safetensors', 'card'];

export const formatList = (v: string): ExportFormat[] => {
  const parts = v.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = parts.filter((p) => !FORMATS.includes(p as ExportFormat));
  if (!parts.length || bad.length) throw new InvalidArgumentError(`"${v}": formats are a comma-separated list of ${FORMATS.join(', ')}`);
  return [...new Set(parts)] as ExportFormat[];
};

const positive = (what: string) => (v: string) => {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || (what === 'run' && n < 1)) throw new InvalidArgumentError(`"${v}" is not a ${what}`);
  return n;
};

const mb = (n: number) => `${(n / 1e6).toFixed(n < 1e6 ? 3 : 1)} MB`;

export function formatExport(r: ExportRecord): string {
  const lines = [`run ${r.run} at step ${r.step} -> ${r.dir}`];
  for (const f of r.files) lines.push(`  ${f.name.padEnd(22)} ${mb(f.bytes).padStart(10)}`);
  if (r.card?.architecture.monai) lines.push('load in PyTorch/MONAI:', ...r.card.loading.map((l) => `  ${l}`));
  if (r.card?.verification) lines.push(`ONNX checked against the unfolded encoder: max difference ${r.card.verification.maxRelDiff.toExponential(2)} of the largest feature`);
  return lines.join('\n');
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('export a pretraining run\'s encoder: ONNX, safetensors with MONAI\'s ResNet keys, a model card')
    .argument('<run>', 'run id', positive('run'))
    .requiredOption('--out <dir>', 'the export folder to create (must not exist, or be empty)')
    .option('--format <list>', 'comma-separated: onnx, safetensors, card', formatList, [...FORMATS])
    .option('--keys <style>', 'safetensors key names: monai | medicalnet (module. prefix)', (v: string) => {
      if (v !== 'monai' && v !== 'medicalnet') throw new InvalidArgumentError(`"${v}" is not monai or medicalnet`);
      return v;
    }, 'monai')
    .option('--step <n>', 'checkpoint step (default: the latest)', positive('step'))
    .option('--licence <text>', 'licence field of the model card')
    .action(async (run: number, o: { out: string; format: ExportFormat[]; keys: 'monai' | 'medicalnet'; step?: number; licence?: string }, cmd: Command) => {
      const { json } = globalOptions(cmd);
      const result = await withServices(cmd, async (api, services) => {
        const { job } = await api.call('export:start', { run, out: o.out, formats: o.format, keys: o.keys, step: o.step, licence: o.licence });
        let last = '';
        const off = api.on('job-progress', (p) => {
          if (p.job !== job || p.kind !== 'export' || json || p.step === last) return;
          last = p.step;
          process.stderr.write(`${p.step}...\n`);
        });
        const onSigint = () => void api.call('jobs:cancel', { job });
        process.once('SIGINT', onSigint);
        try {
          const snap = await services.jobs.wait(job);
          return { state: snap.state, error: snap.error, export: snap.kind === 'export' ? snap.result : undefined };
        } finally {
          off();
          process.off('SIGINT', onSigint);
        }
      });
      if (json) process.stdout.write(`${JSON.stringify({ ok: result.state === 'done', ...result }, null, 2)}\n`);
      else if (result.export) process.stdout.write(`${formatExport(result.export)}\n`);
      if (!json && result.error) process.stderr.write(`voxelbase: ${result.error.name}: ${result.error.message}\n`);
      else if (!json && result.state === 'cancelled') process.stderr.write('voxelbase: export cancelled (nothing written)\n');
      if (result.state !== 'done') process.exitCode = 1;
    });
}
