// The batch loader (DESIGN §5a): worker threads make batches from the preprocessing cache ahead of the
// trainer, at most `queueDepth` batches ready or in the making; `next()` hands them out in order. Batch k
// depends only on (seed, k) (sample-order.ts, augment's seeded draws), so the number of workers and their
// timing change nothing, and `position` resumes a run exactly. Works from any thread: the trainer's
// worker creates it there (nested workers). A batch whose worker died is made again once (it is
// deterministic); a second failure rejects next() with the error.
import os from 'node:os';
import fs from 'node:fs';
import type { AugmentConfigInput, PreprocessedEntry } from '../../contract/types/data.js';
import { LoaderError } from '../../contract/errors.js';
import { TaskPool } from '../../platform/task-pool.js';
import { resolveAugment, type Box3 } from '../augment/index.js';
import { BatchMaker, type BatchPayload, type BatchSpec } from './make-batch.js';

export interface LoaderOptions {
  /** Cache entries of the cohort (ensurePreprocessed's `entries`). */
  entries: PreprocessedEntry[];
  /** Samples per batch (each gives one view-1 and one view-2 volume). */
  batch: number;
  /** Input box [d, h, w]. */
  box: Box3;
  seed: number;
  /** Overrides of the default augmentations (augment/config.ts). */
  augment?: AugmentConfigInput;
  /** Index of the first batch next() returns (a resumed run passes its saved position). Default 0. */
  position?: number;
  /** Worker threads; 0 makes batches in this thread inside next(). Default: cores - 1 (at least 1, at most 4). */
  workers?: number;
  /** Batches ready or in the making ahead of the consumer (default max(2, 2 * workers)). */
  queueDepth?: number;
}

export interface Batch {
  /** [batch, 1, d, h, w] float32, C order (w fastest). */
  view1: Float32Array;
  view2: Float32Array;
  dims: [number, number, number, number, number];
  /** This batch's index. */
  index: number;
  /** The position after this batch: pass it as `position` to continue with the next batch. */
  position: number;
  /** Series of each sample, in batch order. */
  seriesIds: number[];
}

export interface Loader {
  next(): Promise<Batch>;
  /** Index of the batch the next next() returns. */
  readonly position: number;
  close(): Promise<void>;
}

export function defaultLoaderWorkers(): number {
  const n = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(4, n - 1));
}

export function createLoader(opts: LoaderOptions): Loader {
  const spec = checkOptions(opts);
  const workers = opts.workers ?? defaultLoaderWorkers();
  let delivered = opts.position ?? 0;
  if (!Number.isInteger(delivered) || delivered < 0) throw new LoaderError(`loader position ${delivered} is not a non-negative integer`);
  let closed = false;
  const dims: Batch['dims'] = [spec.batch, 1, spec.box[0], spec.box[1], spec.box[2]];

  // In this thread (workers: 0) a batch is made when asked for; with workers, up to `depth` ahead, and a batch
  // whose worker died is made once more.
  const maker = workers === 0 ? new BatchMaker(spec) : null;
  const pool = maker ? null : new TaskPool<{ k: number }, BatchPayload>(import.meta.url, '../../workers/loader-worker.js', { size: workers, workerData: spec, name: 'loader' });
  const depth = pool ? Math.max(1, opts.queueDepth ?? Math.max(2, 2 * workers)) : 0;
  const make = (k: number): Promise<BatchPayload> => (pool ? pool.run({ k }).catch(() => pool.run({ k })) : Promise.resolve().then(() => maker!.make(k)));
  const pending = new Map<number, Promise<BatchPayload>>();
  let scheduled = delivered;
  const fill = () => {
    while (!closed && scheduled < delivered + depth) {
      const k = scheduled++;
      const p = make(k);
      p.catch(() => {}); // surfaced by next()
      pending.set(k, p);
    }
  };
  fill();
  return {
    get position() {
      return delivered;
    },
    async next() {
      if (closed) throw new LoaderError('loader is closed');
      const k = delivered++;
      const p = pending.get(k) ?? make(k);
      pending.delete(k);
      if (scheduled < delivered) scheduled = delivered;
      fill();
      try {
        return { ...(await p), dims, index: k, position: k + 1 };
      } catch (e) {
        if (closed) throw new LoaderError('loader is closed');
        throw e;
      }
    },
    async close() {
      closed = true;
      pending.clear();
      await pool?.close();
    },
  };
}

function checkOptions(o: LoaderOptions): BatchSpec {
  if (!o.entries?.length) throw new LoaderError('the loader needs at least one preprocessed series (the cohort is empty)');
  if (!Number.isInteger(o.batch) || o.batch < 1) throw new LoaderError(`batch size ${o.batch} is not a positive integer`);
  if (o.box?.length !== 3 || !o.box.every((v) => Number.isInteger(v) && v >= 1 && v <= 1024)) throw new LoaderError(`input box ${JSON.stringify(o.box)} is not three sizes in 1..1024`);
  if (!Number.isFinite(o.seed)) throw new LoaderError(`seed ${o.seed} is not a number`);
  for (const e of o.entries) {
    let size: number;
    try {
      size = fs.statSync(e.file).size;
    } catch {
      throw new LoaderError(`series ${e.seriesId}: its cache file ${e.file} is gone; preprocess the cohort again`);
    }
    const need = e.dataOffset + e.dims[0] * e.dims[1] * e.dims[2] * 2;
    if (size !== need) throw new LoaderError(`series ${e.seriesId}: cache file ${e.file} has ${size} bytes, its entry says ${need}; preprocess the cohort again`);
  }
  return { entries: o.entries, batch: o.batch, box: [...o.box] as Box3, seed: o.seed, augment: resolveAugment(o.augment) };
}
