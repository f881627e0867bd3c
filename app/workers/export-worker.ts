// Worker-thread entry of an export job: folds, serialises, checks in onnxruntime and writes one export
// (services/export/export-encoder.ts) off the main thread. In: workerData {source, out, options} (the tensors'
// buffers transferred, not copied). Out: {type:'progress', step, done, total}, then {type:'done', outcome} or
// {type:'error', error}. A {type:'cancel'} message stops it at the next step (the partial folder is removed).
import { parentPort, workerData } from 'node:worker_threads';
import { serializeError } from '../contract/errors.js';
import { writeEncoderExport, type ExportOptions } from '../services/export/export-encoder.js';
import type { ExportSource } from '../services/export/export-source.js';

export interface ExportWorkerInput {
  source: ExportSource;
  out: string;
  options: ExportOptions;
}

if (!parentPort) throw new Error('export-worker must run in a worker thread');
const port = parentPort;
const { source, out, options } = workerData as ExportWorkerInput;
const ac = new AbortController();
port.on('message', (m: { type: string }) => {
  if (m?.type === 'cancel') ac.abort();
});

writeEncoderExport(source, out, options, {
  signal: ac.signal,
  progress: (step, done, total) => port.postMessage({ type: 'progress', step, done, total }),
})
  .then((outcome) => port.postMessage({ type: 'done', outcome }))
  .catch((err) => port.postMessage({ type: 'error', error: serializeError(err) }))
  .finally(() => port.close());
