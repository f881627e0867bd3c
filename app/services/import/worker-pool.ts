// A small pool of import worker threads (size = CPU cores by default) over app/platform/workers.ts's spawnWorker.
// Tasks are queued and handed to the first idle worker; callers batch files so that one message carries
// many (amortising structured-clone and wake-up costs). A worker that dies fails its task and is replaced.
// A task may carry the job's AbortSignal: when it fires, the tasks still queued are dropped (rejected with
// CancelledError), so a cancel waits only for the tasks already running, one per worker.
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../../platform/workers.js';
import { CancelledError, deserializeError } from '../../contract/errors.js';
import type { SerializedError } from '../../contract/types.js';
import type { ImportTask } from '../../workers/import-worker.js';

/**
 * Young generation of each import worker, MiB. V8 grows it to 48 MiB under the parse's allocation rate;
 * every page of it is first-touched (page-faulted) once, although almost nothing allocated there lives
 * beyond one file. Capped, the 2,080-file bench import page-faulted 22k times instead of 27k (-8% CPU).
 */
const YOUNG_GENERATION_MB = 4;

interface Pending {
  id: number;
  task: ImportTask;
  signal?: AbortSignal;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  busy: Pending | null;
}

export class ImportWorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  /** Signals with our abort listener (one listener per signal, however many tasks it covers). */
  private readonly watched = new WeakSet<AbortSignal>();

  constructor(readonly size = defaultPoolSize()) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  /** Runs `task` on the first idle worker; if `signal` fires while the task is still queued, it never starts. */
  run<R>(task: ImportTask, signal?: AbortSignal): Promise<R> {
    if (this.closed) return Promise.reject(new Error('import worker pool is closed'));
    if (signal?.aborted) return Promise.reject(new CancelledError('import cancelled'));
    if (signal && !this.watched.has(signal)) {
      this.watched.add(signal);
      signal.addEventListener('abort', () => this.drop(signal), { once: true });
    }
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, task, signal, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  /** How many tasks wait for a worker. */
  get queued(): number {
    return this.queue.length;
  }

  private drop(signal: AbortSignal): void {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (this.queue[i].signal !== signal) continue;
      const [p] = this.queue.splice(i, 1);
      p.reject(new CancelledError('import cancelled'));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new Error('import worker pool closed'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    const worker = spawnWorker(import.meta.url, '../../workers/import-worker.js', {
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    worker.unref();
    const slot: Slot = { worker, busy: null };
    worker.on('message', (m: { id: number; ok: boolean; result?: unknown; error?: SerializedError }) => {
      const p = slot.busy;
      slot.busy = null;
      if (p && p.id === m.id) {
        if (m.ok) p.resolve(m.result);
        else p.reject(deserializeError(m.error ?? { name: 'Error', message: 'worker failed' }));
      }
      this.pump();
    });
    const dead = (err: Error) => {
      const p = slot.busy;
      slot.busy = null;
      if (p) p.reject(err);
      const i = this.slots.indexOf(slot);
      if (i >= 0 && !this.closed) {
        this.slots[i] = this.spawn();
        this.pump();
      }
    };
    worker.on('error', dead);
    worker.on('exit', (code) => {
      if (!this.closed && this.slots.includes(slot)) dead(new Error(`import worker exited with code ${code}`));
    });
    return slot;
  }

  private pump(): void {
    for (const s of this.slots) {
      if (!this.queue.length) break;
      if (s.busy) continue;
      const p = this.queue.shift()!;
      s.busy = p;
      s.worker.ref();
      s.worker.postMessage({ id: p.id, task: p.task });
    }
    // Idle workers must not keep the process alive.
    for (const s of this.slots) if (!s.busy) s.worker.unref();
  }
}

export function defaultPoolSize(): number {
  const n = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(16, n));
}
