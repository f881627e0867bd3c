// Long-running jobs (import, preprocessing, pretraining, embedding, export ...): each gets an id, reports typed
// progress (contract/jobs.ts: step, detail and result per kind) as `job-progress` events (throttled to ~10/s,
// state changes immediately), can be cancelled through its AbortSignal, paused at the pause points of a pausable
// job, and is persisted in the `jobs` table so a reloaded renderer or a new client re-attaches with jobs:list /
// jobs:get. Jobs of one queue run one after another (the later ones wait in state 'queued'). Jobs a crashed
// process left unfinished are marked failed (interrupted) when the next process opens the catalogue. Rate and
// ETA are computed here, once, for every job.
import { randomUUID } from 'node:crypto';
import type { Db } from '../catalogue/database.js';
import {
  isJobEnded,
  type JobKindMap,
  type JobKinds,
  type JobProgressIn,
  type JobSnapshotIn,
  type JobState,
} from '../../contract/jobs.js';
import { CancelledError, NotFoundError, NotSupportedError, VoxelbaseError, serializeError } from '../../contract/errors.js';
import { RateMeter } from './rate.js';

export class InterruptedError extends VoxelbaseError {}

export interface JobUpdate<M extends JobKindMap<M>, K extends keyof M & string> {
  step?: M[K]['step'];
  current?: number;
  total?: number;
  message?: string;
  /** Merged into the job's detail (shallow). */
  detail?: Partial<M[K]['detail']>;
}

export interface JobStart<M extends JobKindMap<M>, K extends keyof M & string> {
  step: M[K]['step'];
  detail: M[K]['detail'];
  current?: number;
  total?: number;
  message?: string;
  /** Jobs sharing a queue name run one at a time, in start order (e.g. 'import'). */
  queue?: string;
  /** The runner calls `pausePoint()` between units of work, so jobs:pause applies. */
  pausable?: boolean;
}

export interface JobContext<M extends JobKindMap<M> = JobKinds, K extends keyof M & string = keyof M & string> {
  readonly id: string;
  readonly signal: AbortSignal;
  /** Report progress; cheap to call often (events are throttled). Changing `step` resets rate/ETA. */
  progress(update: JobUpdate<M, K>): void;
  /** Throws CancelledError once the job was cancelled. */
  throwIfCancelled(): void;
  /**
   * Where a pausable job may hold: resolves at once unless a pause was requested; then the job is 'paused' until
   * jobs:resume (resolves) or jobs:cancel (rejects with CancelledError). Also throws when already cancelled.
   */
  pausePoint(): Promise<void>;
  /** Whether a pause has been requested (a runner may save a checkpoint before reaching its pause point). */
  readonly pauseRequested: boolean;
  /**
   * Calls `listener` when a pause is requested from now on, so a runner whose work happens elsewhere (a worker
   * thread) can pass the request on at once instead of at its next message. Returns a function that removes it.
   */
  onPauseRequest(listener: () => void): () => void;
}

export type JobRunner<M extends JobKindMap<M>, K extends keyof M & string> = (ctx: JobContext<M, K>) => Promise<M[K]['result']>;

export interface JobManagerOptions<M extends JobKindMap<M>> {
  db: Db;
  emit: (progress: JobProgressIn<M>) => void;
  /** Minimum ms between progress events of one job (default 100 = 10/s). */
  throttleMs?: number;
  /** Minimum ms between progress writes to the database (default 1000). */
  persistMs?: number;
  now?: () => number;
  /** Whether a process id is alive (to tell crashed owners from live ones sharing the data folder). */
  isAlive?: (pid: number) => boolean;
}

interface LiveJob<M extends JobKindMap<M>> {
  snap: JobSnapshotIn<M>;
  controller: AbortController;
  meter: RateMeter;
  lastEmit: number;
  lastPersist: number;
  timer?: NodeJS.Timeout;
  done: Promise<JobSnapshotIn<M>>;
  /** Set while a pause is requested or held: resolves when resumed. */
  pause?: { requested: true; resume: () => void; resumed: Promise<void> };
  pauseListeners: Set<() => void>;
}

export class JobManager<M extends JobKindMap<M> = JobKinds> {
  private readonly live = new Map<string, LiveJob<M>>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly throttleMs: number;
  private readonly persistMs: number;
  private readonly now: () => number;
  private readonly upsert;
  private readonly selectOne;
  private readonly selectRecent;
  private closed = false;

  constructor(private readonly opts: JobManagerOptions<M>) {
    this.throttleMs = opts.throttleMs ?? 100;
    this.persistMs = opts.persistMs ?? 1000;
    this.now = opts.now ?? Date.now;
    const db = opts.db;
    this.upsert = db.prepare(`
      INSERT INTO jobs (id, kind, state, snapshot, owner_pid, started_at, ended_at, updated_at)
      VALUES (@id, @kind, @state, @snapshot, @pid, @startedAt, @endedAt, @updatedAt)
      ON CONFLICT(id) DO UPDATE SET state = excluded.state, snapshot = excluded.snapshot,
        ended_at = excluded.ended_at, updated_at = excluded.updated_at`);
    this.selectOne = db.prepare('SELECT snapshot FROM jobs WHERE id = ?');
    this.selectRecent = db.prepare('SELECT snapshot FROM jobs ORDER BY started_at DESC, rowid DESC LIMIT ?');
    this.markInterrupted();
  }

  /**
   * Starts `run` (at once, or after the earlier jobs of its queue: state 'queued' meanwhile) and returns the job's
   * first snapshot; the job goes on in the background.
   */
  start<K extends keyof M & string>(kind: K, run: JobRunner<M, K>, initial: JobStart<M, K>): JobSnapshotIn<M, K> {
    if (this.closed) throw new VoxelbaseError(`job manager closed; cannot start a ${kind} job`);
    const id = randomUUID();
    const prev = initial.queue ? this.queues.get(initial.queue) : undefined;
    const snap = {
      job: id,
      kind,
      state: prev ? 'queued' : 'running',
      step: initial.step,
      current: initial.current ?? 0,
      total: initial.total ?? 0,
      pausable: initial.pausable ?? false,
      detail: initial.detail,
      startedAt: new Date(this.now()).toISOString(),
      ...(initial.message !== undefined ? { message: initial.message } : {}),
    } as JobSnapshotIn<M, K>;
    const controller = new AbortController();
    const job: LiveJob<M> = {
      snap,
      controller,
      meter: new RateMeter(),
      lastEmit: 0,
      lastPersist: 0,
      pauseListeners: new Set(),
      done: undefined as never,
    };
    job.meter.add(this.now(), snap.current);
    this.live.set(id, job);
    this.persist(job);
    this.emitNow(job);

    const cancelled = () => new CancelledError(`${kind} job ${id} was cancelled`);
    const ctx: JobContext<M, K> = {
      id,
      signal: controller.signal,
      progress: (u) => this.update(job, u),
      throwIfCancelled: () => {
        if (controller.signal.aborted) throw cancelled();
      },
      pausePoint: async () => {
        if (controller.signal.aborted) throw cancelled();
        const p = job.pause;
        if (!p) return;
        this.setState(job, 'paused');
        await Promise.race([
          p.resumed,
          new Promise<never>((_, reject) => controller.signal.addEventListener('abort', () => reject(cancelled()), { once: true })),
        ]);
      },
      get pauseRequested() {
        return job.pause !== undefined;
      },
      onPauseRequest: (listener) => {
        job.pauseListeners.add(listener);
        return () => job.pauseListeners.delete(listener);
      },
    };
    job.done = (async () => {
      try {
        if (prev) {
          await prev.catch(() => undefined);
          if (controller.signal.aborted) throw cancelled();
          this.setState(job, 'running');
        }
        const result = await run(ctx);
        if (controller.signal.aborted) this.finish(job, 'cancelled');
        else this.finish(job, 'done', { result });
      } catch (err) {
        if (controller.signal.aborted) this.finish(job, 'cancelled');
        else this.finish(job, 'failed', { error: err });
      }
      return this.copy(job.snap);
    })();
    if (initial.queue) this.queues.set(initial.queue, job.done);
    return this.copy(snap) as JobSnapshotIn<M, K>;
  }

  /** Live jobs first (live state), then the most recent ended ones from the database. */
  list(limit = 100): JobSnapshotIn<M>[] {
    const out = new Map<string, JobSnapshotIn<M>>();
    for (const j of this.live.values()) out.set(j.snap.job, this.copy(j.snap));
    for (const row of this.selectRecent.all(limit) as { snapshot: string }[]) {
      const s = JSON.parse(row.snapshot) as JobSnapshotIn<M>;
      if (!out.has(s.job)) out.set(s.job, s);
    }
    return [...out.values()].slice(0, Math.max(limit, this.live.size));
  }

  get(id: string): JobSnapshotIn<M> {
    const j = this.live.get(id);
    if (j) return this.copy(j.snap);
    const row = this.selectOne.get(id) as { snapshot: string } | undefined;
    if (!row) throw new NotFoundError(`no job with id ${id}`);
    return JSON.parse(row.snapshot) as JobSnapshotIn<M>;
  }

  /** Requests cancellation ('cancelling'); the job ends as 'cancelled' once its runner returns. Ended jobs are returned as is. */
  cancel(id: string): JobSnapshotIn<M> {
    const j = this.live.get(id);
    if (!j) return this.get(id);
    if (!j.controller.signal.aborted) {
      j.controller.abort(new CancelledError(`${j.snap.kind} job ${id} was cancelled`));
      this.setState(j, 'cancelling');
    }
    return this.copy(j.snap);
  }

  /** Asks a pausable job to hold at its next pause point ('pausing' until it gets there, then 'paused'). */
  pause(id: string): JobSnapshotIn<M> {
    const j = this.live.get(id);
    if (!j) throw new NotFoundError(`no running job with id ${id}`);
    if (!j.snap.pausable) throw new NotSupportedError(`${j.snap.kind} job ${id} cannot be paused`);
    if (!j.pause && (j.snap.state === 'running' || j.snap.state === 'queued')) {
      let resume!: () => void;
      const resumed = new Promise<void>((r) => (resume = r));
      j.pause = { requested: true, resume, resumed };
      if (j.snap.state === 'running') this.setState(j, 'pausing');
      for (const listener of j.pauseListeners) listener();
    }
    return this.copy(j.snap);
  }

  /** Resumes a paused or pausing job; a running job is returned as is. */
  resume(id: string): JobSnapshotIn<M> {
    const j = this.live.get(id);
    if (!j) throw new NotFoundError(`no running job with id ${id}`);
    const p = j.pause;
    if (p) {
      j.pause = undefined;
      if (j.snap.state === 'paused' || j.snap.state === 'pausing') this.setState(j, 'running');
      p.resume();
    }
    return this.copy(j.snap);
  }

  /** Resolves with the final snapshot when the job ends (immediately for ended jobs). */
  wait(id: string): Promise<JobSnapshotIn<M>> {
    const j = this.live.get(id);
    if (j) return j.done;
    return Promise.resolve(this.get(id));
  }

  /** Cancels every live job and waits (up to `timeoutMs`) for them to end. */
  async close(timeoutMs = 10_000): Promise<void> {
    this.closed = true;
    const pending = [...this.live.values()];
    for (const j of pending) this.cancel(j.snap.job);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled(pending.map((j) => j.done)),
      new Promise((r) => (timer = setTimeout(r, timeoutMs))),
    ]);
    clearTimeout(timer);
    // Runners that ignored cancellation: record them as interrupted so nothing stays live.
    for (const j of this.live.values()) {
      this.finish(j, 'failed', { error: new InterruptedError(`${j.snap.kind} job ${j.snap.job} did not stop at shutdown`) });
    }
  }

  private setState(job: LiveJob<M>, state: JobState): void {
    if (isJobEnded(job.snap.state) || job.snap.state === state) return;
    // Once cancelling, only the end changes the state.
    if (job.snap.state === 'cancelling') return;
    job.snap.state = state;
    this.persist(job);
    this.emitNow(job);
  }

  private update<K extends keyof M & string>(job: LiveJob<M>, u: JobUpdate<M, K>): void {
    if (isJobEnded(job.snap.state)) return;
    const s = job.snap;
    const t = this.now();
    if (u.step !== undefined && u.step !== s.step) {
      s.step = u.step;
      job.meter.reset();
      s.rate = undefined;
      s.etaSeconds = undefined;
      if (u.current === undefined) s.current = 0;
      if (u.total === undefined) s.total = 0;
    }
    if (u.total !== undefined) s.total = u.total;
    if (u.current !== undefined) s.current = u.current;
    if (u.message !== undefined) s.message = u.message;
    if (u.detail !== undefined) s.detail = { ...s.detail, ...u.detail };
    job.meter.add(t, s.current);
    s.rate = job.meter.rate();
    s.etaSeconds = job.meter.eta(s.current, s.total);

    if (t - job.lastPersist >= this.persistMs) this.persist(job);
    if (t - job.lastEmit >= this.throttleMs) {
      // A trailing timer that fired late must not emit a second event right after this one.
      if (job.timer) clearTimeout(job.timer);
      job.timer = undefined;
      this.emitNow(job);
    } else if (!job.timer) {
      job.timer = setTimeout(() => {
        job.timer = undefined;
        if (!isJobEnded(job.snap.state)) this.emitNow(job);
      }, this.throttleMs - (t - job.lastEmit));
      job.timer.unref?.();
    }
  }

  private finish(job: LiveJob<M>, state: JobState, extra: { result?: unknown; error?: unknown } = {}): void {
    if (isJobEnded(job.snap.state)) return;
    if (job.timer) clearTimeout(job.timer);
    job.timer = undefined;
    const s = job.snap;
    s.state = state;
    s.endedAt = new Date(this.now()).toISOString();
    s.etaSeconds = undefined;
    if (state === 'done') {
      if (s.total > 0) s.current = s.total;
      s.result = jsonSafe(extra.result) as typeof s.result;
    } else if (state === 'failed') {
      s.error = serializeError(extra.error);
      s.message = s.error.message;
    }
    this.persist(job);
    this.emitNow(job);
    this.live.delete(s.job);
  }

  private emitNow(job: LiveJob<M>): void {
    job.lastEmit = this.now();
    const { job: id, kind, state, step, current, total, rate, etaSeconds, message, detail, pausable, result, error } = job.snap;
    const p = { job: id, kind, state, step, current, total, pausable, detail: { ...detail } } as JobProgressIn<M>;
    if (rate !== undefined) p.rate = rate;
    if (etaSeconds !== undefined) p.etaSeconds = etaSeconds;
    if (message !== undefined) p.message = message;
    // The event that ends a job carries what jobs:get would add, so a listener needs no second call.
    if (result !== undefined) p.result = result;
    if (error !== undefined) p.error = error;
    this.opts.emit(p);
  }

  private persist(job: LiveJob<M>): void {
    job.lastPersist = this.now();
    const s = job.snap;
    this.upsert.run({
      id: s.job,
      kind: s.kind,
      state: s.state,
      snapshot: JSON.stringify(s),
      pid: process.pid,
      startedAt: s.startedAt,
      endedAt: s.endedAt ?? null,
      updatedAt: new Date(this.now()).toISOString(),
    });
  }

  private markInterrupted(): void {
    const isAlive = this.opts.isAlive ?? pidAlive;
    const rows = this.opts.db
      .prepare(`SELECT id, snapshot, owner_pid FROM jobs WHERE state NOT IN ('done','failed','cancelled')`)
      .all() as { id: string; snapshot: string; owner_pid: number }[];
    const endedAt = new Date(this.now()).toISOString();
    for (const r of rows) {
      if (r.owner_pid !== process.pid && isAlive(r.owner_pid)) continue; // another live process owns it
      const s = JSON.parse(r.snapshot) as JobSnapshotIn<M>;
      s.state = 'failed';
      s.endedAt = endedAt;
      s.etaSeconds = undefined;
      s.error = serializeError(
        new InterruptedError(`${s.kind} job ${s.job} was interrupted (the process running it ended at step '${s.step}')`),
      );
      s.message = s.error.message;
      this.opts.db
        .prepare('UPDATE jobs SET state = ?, snapshot = ?, ended_at = ?, updated_at = ? WHERE id = ?')
        .run('failed', JSON.stringify(s), endedAt, endedAt, r.id);
    }
  }

  private copy<S>(s: S): S {
    return structuredClone(s);
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function jsonSafe(v: unknown): unknown {
  if (v === undefined) return undefined;
  try {
    return JSON.parse(JSON.stringify(v));
  } catch {
    return String(v);
  }
}
