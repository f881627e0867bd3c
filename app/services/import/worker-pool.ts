// The import's worker threads (size = CPU cores by default): the platform's TaskPool running the tasks of
// app/workers/import-worker.ts. Callers batch files so that one message carries many (amortising
// structured-clone and wake-up costs). A task may carry the job's AbortSignal: when it fires, the tasks still
// queued are dropped (rejected with CancelledError), so a cancel waits only for the tasks already running,
// one per worker. A worker that dies fails its task and is replaced.
import os from 'node:os';
import { TaskPool } from '../../platform/task-pool.js';
import type { ImportTask } from '../../workers/import-worker.js';

/**
 * Young generation of each import worker, MiB. V8 grows it to 48 MiB under the parse's allocation rate;
 * every page of it is first-touched (page-faulted) once, although almost nothing allocated there lives
 * beyond one file. Capped, the 2,080-file bench import page-faulted 22k times instead of 27k (-8% CPU).
 */
const YOUNG_GENERATION_MB = 4;

export class ImportWorkerPool {
  private readonly pool: TaskPool<ImportTask, unknown>;

  constructor(readonly size = defaultPoolSize()) {
    this.pool = new TaskPool(import.meta.url, '../../workers/import-worker.js', {
      size,
      name: 'import',
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
  }

  /** Runs `task` on the first idle worker; if `signal` fires while the task is still queued, it never starts. */
  run<R>(task: ImportTask, signal?: AbortSignal): Promise<R> {
    return this.pool.run(task, { signal }) as Promise<R>;
  }

  /** How many tasks wait for a worker. */
  get queued(): number {
    return this.pool.queued;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

export function defaultPoolSize(): number {
  const n = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(16, n));
}
