// The embed job: preprocess the series at the model's settings (the data domain's cache; reused when
// unchanged), skip series whose stored embedding was made from the same cache fingerprint, and embed the rest
// in a worker thread (one encoder session, tiles batched), storing each vector as it comes. Progress per
// series; cancellable and pausable between series (a cancelled job keeps what it stored).
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { ServiceContext } from '../context.js';
import type { JobContext } from '../jobs/job-manager.js';
import type { JobKinds } from '../../contract/jobs.js';
import type { EmbedResult, EmbeddingModel } from '../../contract/types/embed.js';
import type { PreprocessFailure, PreprocessedEntry } from '../../contract/types/data.js';
import { EmbedError, PreprocessError } from '../../contract/errors.js';
import { spawnWorker } from '../../platform/workers.js';
import { ensurePreprocessed, readCacheHeader } from '../preprocess/index.js';
import { type EncoderSource, embedderOptions } from './encoder-source.js';
import { embeddedFingerprints, getModel, saveEmbedding } from './store.js';

export interface EmbedJobInput {
  source: EncoderSource;
  model: EmbeddingModel;
  seriesIds: number[];
  threads?: number;
}

type Reply = { id: number; vector?: Float32Array; tiles?: number; error?: { name: string; message: string } };

/** A worker holding one encoder session; `embed` sends one entry and waits for its reply. */
class EmbedWorker {
  private pending = new Map<number, (r: Reply) => void>();
  private next = 0;
  private failure: Error | undefined;
  constructor(private readonly w: Worker) {
    w.on('message', (r: Reply) => {
      if (r.id === -1) {
        this.fail(new EmbedError(`the encoder could not be built: ${r.error?.message}`));
        return;
      }
      this.pending.get(r.id)?.(r);
      this.pending.delete(r.id);
    });
    w.on('error', (e) => this.fail(e));
    w.on('exit', (code) => this.fail(new EmbedError(`the embed worker exited (code ${code})`)));
  }
  private fail(e: Error): void {
    this.failure ??= e;
    for (const [id, resolve] of this.pending) resolve({ id, error: { name: e.name, message: e.message } });
    this.pending.clear();
  }
  embed(entry: PreprocessedEntry): Promise<Reply> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.next++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.w.postMessage({ id, entry });
    });
  }
  get fatal(): Error | undefined {
    return this.failure;
  }
  async close(): Promise<void> {
    this.w.removeAllListeners('exit');
    await this.w.terminate();
  }
}

export async function runEmbed(ctx: ServiceContext, job: JobContext<JobKinds, 'embed'>, input: EmbedJobInput): Promise<EmbedResult> {
  const t0 = performance.now();
  const { source, model, seriesIds } = input;
  const total = seriesIds.length;
  const detail = { model: model.id, embedded: 0, unchanged: 0, failed: 0, total, tiles: 0 };
  const failed: PreprocessFailure[] = [];

  job.progress({ step: 'preprocess', current: 0, total, detail });
  let entries: PreprocessedEntry[] = [];
  try {
    const pre = await ensurePreprocessed({ dataDir: ctx.dataDir, db: ctx.db }, seriesIds, {
      settings: source.settings,
      signal: job.signal,
      onProgress: (p) => job.progress({ current: p.reused + p.computed + p.failed, total: p.total }),
    });
    entries = pre.entries;
    failed.push(...pre.failed);
  } catch (e) {
    if (!(e instanceof PreprocessError)) throw e;
    // Nothing could be preprocessed: every series is reported as failed with the reason.
    for (const id of seriesIds) failed.push({ seriesId: id, name: e.name, message: e.message });
  }
  detail.failed = failed.length;

  const known = embeddedFingerprints(ctx.db, model.id);
  const todo: { entry: PreprocessedEntry; fingerprint: string }[] = [];
  for (const entry of entries) {
    const fingerprint = `${entry.settingsKey}:${readCacheHeader(entry.file).header.fingerprint}`;
    if (known.get(entry.seriesId) === fingerprint) detail.unchanged++;
    else todo.push({ entry, fingerprint });
  }
  job.progress({ step: 'embed', current: detail.unchanged + detail.failed, total, detail });

  if (todo.length) {
    const threads = input.threads ?? Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
    const worker = new EmbedWorker(
      spawnWorker(import.meta.url, '../../workers/embed-worker.js', {
        workerData: embedderOptions(source, { threads, dataDir: ctx.dataDir }),
      }),
    );
    try {
      for (const { entry, fingerprint } of todo) {
        await job.pausePoint();
        const r = await worker.embed(entry);
        if (worker.fatal) throw worker.fatal;
        if (r.error || !r.vector) {
          failed.push({ seriesId: entry.seriesId, name: r.error?.name ?? 'EmbedError', message: r.error?.message ?? 'no vector' });
          detail.failed++;
        } else {
          saveEmbedding(ctx.db, model.id, entry.seriesId, r.vector, fingerprint, r.tiles ?? 1);
          detail.embedded++;
          detail.tiles += r.tiles ?? 1;
        }
        job.progress({ current: detail.embedded + detail.unchanged + detail.failed, detail });
      }
    } finally {
      await worker.close();
    }
  }
  return {
    model: getModel(ctx.db, model.id),
    embedded: detail.embedded,
    unchanged: detail.unchanged,
    failed,
    tiles: detail.tiles,
    seconds: (performance.now() - t0) / 1000,
  };
}
