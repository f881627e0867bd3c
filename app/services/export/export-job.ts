// The 'export' job: resolves the run and the target folder at once (an unknown run or a missing parent folder is the
// call's error), then, in the job: reads the checkpoint through the run source (main thread, file I/O), and writes
// the export in a worker thread (app/workers/export-worker.ts: BN folding, protobuf serialisation, the onnxruntime
// check and hashing are CPU work that would stall the UI's server). Exports run one at a time (queue 'export': a
// ResNet-50 export holds a few hundred MB while it runs). Cancel stops the worker at its next step; its partial
// folder is removed.
import type { Worker } from 'node:worker_threads';
import { CancelledError, deserializeError } from '../../contract/errors.js';
import type { JobKinds } from '../../contract/jobs.js';
import type { ExportFormat, ExportKeyStyle, ExportRecord, ExportStartResult, ExportStep, SerializedError } from '../../contract/types.js';
import { spawnWorker } from '../../platform/workers.js';
import type { ServiceContext } from '../context.js';
import type { JobContext } from '../jobs/job-manager.js';
import { packageInfo } from '../info/index.js';
import type { ExportOptions, ExportOutcome } from './export-encoder.js';
import { exportTarget, readExportRecord, type ExportTarget } from './export-records.js';
import type { ExportSource } from './export-source.js';
import type { RunSource } from './run-source.js';
import { exportSourceOf } from './source-from-run.js';
import { evaluationFigures } from './evaluation-figures.js';
import { evalResults } from '../evaluate/index.js';

export interface ExportRequest {
  run: number;
  step?: number;
  formats: ExportFormat[];
  keys: ExportKeyStyle;
  licence?: string;
  out?: string;
  into?: string;
}

/** Every distinct ArrayBuffer under the source's tensors (to transfer them to the worker). */
function buffers(src: ExportSource): ArrayBuffer[] {
  const set = new Set<ArrayBuffer>();
  const add = (d: Record<string, { data: ArrayBufferView }>) => {
    for (const t of Object.values(d)) if (t.data.buffer instanceof ArrayBuffer) set.add(t.data.buffer);
  };
  add(src.encoder);
  if (src.heads) {
    add(src.heads.projector);
    add(src.heads.predictor);
  }
  return [...set];
}

/** Runs writeEncoderExport in a worker thread; `signal` cancels it at the worker's next step. */
export function exportInWorker(
  source: ExportSource,
  out: string,
  options: ExportOptions,
  hooks: { progress?: (step: ExportStep, done: number, total: number) => void; signal?: AbortSignal } = {},
): Promise<ExportOutcome> {
  const { now: _now, ...plain } = options;
  return new Promise<ExportOutcome>((resolve, reject) => {
    let w: Worker;
    try {
      w = spawnWorker(import.meta.url, '../../workers/export-worker.js', { workerData: { source, out, options: plain }, transferList: buffers(source) });
    } catch (err) {
      reject(err);
      return;
    }
    let settled = false;
    const onAbort = () => w.postMessage({ type: 'cancel' });
    hooks.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      hooks.signal?.removeEventListener('abort', onAbort);
      f();
    };
    w.on('message', (m: { type: 'progress'; step: ExportStep; done: number; total: number } | { type: 'done'; outcome: ExportOutcome } | { type: 'error'; error: SerializedError }) => {
      if (m.type === 'progress') hooks.progress?.(m.step, m.done, m.total);
      else if (m.type === 'done') finish(() => resolve(m.outcome));
      else finish(() => reject(m.error.name === 'CancelledError' ? new CancelledError(m.error.message) : deserializeError(m.error)));
    });
    w.on('error', (err) => finish(() => reject(err)));
    w.on('exit', (code) => finish(() => reject(new Error(`export worker exited with code ${code} before finishing`))));
  });
}

/** Starts an export job; throws at once for an unknown run or an unusable target. */
export function startExport(ctx: ServiceContext, runs: RunSource, req: ExportRequest): ExportStartResult {
  const run = runs.get(req.run);
  const step = req.step ?? run.step;
  const target: ExportTarget = exportTarget(ctx.dataDir, { run: run.id, runName: run.name, step, out: req.out, into: req.into });
  const formats = (['onnx', 'safetensors', 'card'] as const).filter((f) => req.formats.includes(f));
  const detail = { run: run.id, step: 'load' as const, formats, keys: req.keys };
  const snap = ctx.jobs.start(
    'export',
    async (job: JobContext<JobKinds, 'export'>): Promise<ExportRecord> => {
      job.progress({ step: 'load', current: 0, total: 0, message: `reading run ${run.id} at step ${step}`, detail: { step: 'load' } });
      const weights = await runs.weights(run, req.step);
      job.throwIfCancelled();
      const source = exportSourceOf(run, weights, evaluationFigures(evalResults(ctx.dataDir), run.id, weights.step));
      const outcome = await exportInWorker(source, target.dir, { formats, keys: req.keys, licence: req.licence, version: packageInfo().version }, {
        signal: job.signal,
        progress: (s, done, total) => job.progress({ step: s, current: done, total, message: s === 'finish' ? `exported to ${target.dir}` : `run ${run.id} at step ${step}: ${s}`, detail: { step: s } }),
      });
      return { ...readExportRecord(outcome.dir, target.id), run: run.id, step: weights.step, keys: req.keys, card: outcome.card };
    },
    { queue: 'export', step: 'load', detail, message: `export of run ${run.id} to ${target.dir}` },
  );
  return { job: snap.job, run: run.id };
}
