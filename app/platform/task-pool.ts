// A pool of worker threads that run typed tasks: `pool.run(task)` queues the task, the first idle worker
// takes it, and the promise settles with the worker's reply. Used by the import, the preprocessing job and the
// batch loader (app/services/import, preprocess, loader); works from any thread (a worker may own a pool).
//   - Messages: {id, task} to the worker, {id, ok, result | error} back (errors serialised with their name).
//   - The worker side is `serveTasks(handler)` (below); a handler returns `transfer(value, buffers)` to move
//     ArrayBuffers instead of copying them.
//   - A task may carry an AbortSignal: when it fires while the task is still queued, the task never starts
//     (CancelledError). A worker that dies fails its running task and is replaced.
//   - Idle workers are unref'd, so an idle pool does not keep the process alive; close() terminates them.
import { parentPort, type Transferable, type Worker, type WorkerOptions } from 'node:worker_threads';
import { spawnWorker } from './workers.js';
import { CancelledError, deserializeError, serializeError } from '../contract/errors.js';
import type { SerializedError } from '../contract/types.js';

export interface TaskPoolOptions {
  /** Number of worker threads (at least 1). */
  size: number;
  /** Passed to every worker as `workerData` (its start-up state). */
  workerData?: unknown;
  resourceLimits?: WorkerOptions['resourceLimits'];
  /** Names the pool in errors ("preprocess worker exited with code 1"). */
  name: string;
}

interface Pending {
  id: number;
  task: unknown;
  transfer?: readonly Transferable[];
  signal?: AbortSignal;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  busy: Pending | null;
}

type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: SerializedError };

export class TaskPool<T, R> {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  private readonly watched = new WeakSet<AbortSignal>();

  /** `entry`: the worker entry relative to `callerUrl` (pass `import.meta.url`), written with `.js`. */
  constructor(
    private readonly callerUrl: string,
    private readonly entry: string,
    private readonly options: TaskPoolOptions,
  ) {
    for (let i = 0; i < Math.max(1, options.size); i++) this.slots.push(this.spawn());
  }

  get size(): number {
    return this.slots.length;
  }

  /** How many tasks wait for a worker. */
  get queued(): number {
    return this.queue.length;
  }

  run(task: T, opts: { signal?: AbortSignal; transfer?: readonly Transferable[] } = {}): Promise<R> {
    const { signal } = opts;
    if (this.closed) return Promise.reject(new Error(`${this.options.name} pool is closed`));
    if (signal?.aborted) return Promise.reject(new CancelledError(`${this.options.name} task cancelled`));
    if (signal && !this.watched.has(signal)) {
      this.watched.add(signal);
      signal.addEventListener('abort', () => this.drop(signal), { once: true });
    }
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, task, transfer: opts.transfer, signal, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  /** Rejects queued tasks, terminates the workers (running tasks are abandoned). Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new Error(`${this.options.name} pool closed`));
    const running = this.slots.map((s) => s.busy).filter((p): p is Pending => p !== null);
    // A terminating worker does not hold the event loop: measured, a process with nothing else to do ended
    // (exit 13, top-level await unsettled) before a busy worker's `exit` arrived. A timer holds it meanwhile.
    const hold = setInterval(() => {}, 1 << 30);
    try {
      await Promise.all(this.slots.map((s) => s.worker.terminate()));
    } finally {
      clearInterval(hold);
    }
    for (const p of running) p.reject(new Error(`${this.options.name} pool closed`));
  }

  private drop(signal: AbortSignal): void {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (this.queue[i].signal !== signal) continue;
      const [p] = this.queue.splice(i, 1);
      p.reject(new CancelledError(`${this.options.name} task cancelled`));
    }
  }

  private spawn(): Slot {
    const worker = spawnWorker(this.callerUrl, this.entry, {
      workerData: this.options.workerData,
      resourceLimits: this.options.resourceLimits,
    });
    worker.unref();
    const slot: Slot = { worker, busy: null };
    worker.on('message', (m: Reply) => {
      const p = slot.busy;
      slot.busy = null;
      if (p && p.id === m.id) {
        if (m.ok) p.resolve(m.result);
        else p.reject(deserializeError(m.error));
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
      if (!this.closed && this.slots.includes(slot)) dead(new Error(`${this.options.name} worker exited with code ${code}`));
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
      s.worker.postMessage({ id: p.id, task: p.task }, p.transfer as Transferable[] | undefined);
    }
    for (const s of this.slots) if (!s.busy) s.worker.unref();
  }
}

/** A handler's reply whose listed buffers move to the pool's thread instead of being copied. */
export class Transfer<V> {
  constructor(
    readonly value: V,
    readonly buffers: Transferable[],
  ) {}
}

export function transfer<V>(value: V, buffers: Transferable[]): Transfer<V> {
  return new Transfer(value, buffers);
}

/** Worker side of a TaskPool: answers each {id, task} with the handler's result or error, one at a time. */
export function serveTasks<T>(handler: (task: T) => unknown): void {
  if (!parentPort) throw new Error('serveTasks must run in a worker thread');
  const port = parentPort;
  port.on('message', async (msg: { id: number; task: T }) => {
    try {
      const out = await handler(msg.task);
      if (out instanceof Transfer) port.postMessage({ id: msg.id, ok: true, result: out.value }, out.buffers);
      else port.postMessage({ id: msg.id, ok: true, result: out });
    } catch (err) {
      port.postMessage({ id: msg.id, ok: false, error: serializeError(err) });
    }
  });
}
