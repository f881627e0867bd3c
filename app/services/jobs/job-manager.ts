// Long-running jobs (import, pretraining, embedding ...): each gets an id, reports progress as
// `job-progress` events (throttled to ~10/s, state changes immediately), can be cancelled through its
// AbortSignal, and is persisted in the `jobs` table so a reloaded renderer or a new client re-attaches
// with jobs:list / jobs:get. Jobs a crashed process left 'running' are marked failed (interrupted) when
// the next process opens the catalogue. Rate and ETA are computed here, once, for every job.
import { randomUUID } from 'node:crypto';
import type { Db } from '../catalogue/database.js';
import type { JobProgress, JobSnapshot, JobState } from '../../contract/types.js';
import { CancelledError, NotFoundError, VoxelbaseError, serializeError } from '../../contract/errors.js';
import { RateMeter } from './rate.js';

export class InterruptedError extends VoxelbaseError {}

export interface JobUpdate {
  step?: string;
  current?: number;
  total?: number;
  message?: string;
  /** Merged into the job's detail (shallow). */
  detail?: Record<string, unknown>;
}

export interface JobContext {
  readonly id: string;
  readonly signal: AbortSignal;
  /** Report progress; cheap to call often (events are throttled). Changing `step` resets rate/ETA. */
  progress(update: JobUpdate): void;
  /** Throws CancelledError once the job was cancelled. */
  throwIfCancelled(): void;
}

export type JobRunner<R> = (ctx: JobContext) => Promise<R>;

export interface JobManagerOptions {
  db: Db;
  emit: (progress: JobProgress) => void;
  /** Minimum ms between progress events of one job (default 100 = 10/s). */
  throttleMs?: number;
  /** Minimum ms between progress writes to the database (default 1000). */
  persistMs?: number;
  now?: () => number;
  /** Whether a process id is alive (to tell crashed owners from live ones sharing the data folder). */
  isAlive?: (pid: number) => boolean;
}

interface LiveJob {
  snap: JobSnapshot;
  controller: AbortController;
  meter: RateMeter;
  lastEmit: number;
  lastPersist: number;
  timer?: NodeJS.Timeout;
  done: Promise<JobSnapshot>;
}

const ENDED: readonly JobState[] = ['done', 'failed', 'cancelled'];

export class JobManager {
  private readonly live = new Map<string, LiveJob>();
  private readonly throttleMs: number;
  private readonly persistMs: number;
  private readonly now: () => number;
  private readonly upsert;
  private readonly selectOne;
  private readonly selectRecent;
  private closed = false;

  constructor(private readonly opts: JobManagerOptions) {
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

  /** Starts `run` now and returns the job's first snapshot; the job goes on in the background. */
  start<R>(kind: string, run: JobRunner<R>, initial: JobUpdate = {}): JobSnapshot {
    if (this.closed) throw new VoxelbaseError(`job manager closed; cannot start a ${kind} job`);
    const id = randomUUID();
    const snap: JobSnapshot = {
      job: id,
      kind,
      state: 'running',
      step: initial.step ?? 'start',
      current: initial.current ?? 0,
      total: initial.total ?? 0,
      message: initial.message,
      detail: initial.detail,
      startedAt: new Date(this.now()).toISOString(),
    };
    const controller = new AbortController();
    const job: LiveJob = {
      snap,
      controller,
      meter: new RateMeter(),
      lastEmit: 0,
      lastPersist: 0,
      done: undefined as unknown as Promise<JobSnapshot>,
    };
    job.meter.add(this.now(), snap.current);
    this.live.set(id, job);
    this.persist(job);
    this.emitNow(job);

    const ctx: JobContext = {
      id,
      signal: controller.signal,
      progress: (u) => this.update(job, u),
      throwIfCancelled: () => {
        if (controller.signal.aborted) throw new CancelledError(`${kind} job ${id} was cancelled`);
      },
    };
    job.done = (async () => {
      try {
        const result = await run(ctx);
        if (controller.signal.aborted) this.finish(job, 'cancelled');
        else this.finish(job, 'done', { result });
      } catch (err) {
        if (controller.signal.aborted) this.finish(job, 'cancelled');
        else this.finish(job, 'failed', { error: err });
      }
      return this.copy(job.snap);
    })();
    return this.copy(snap);
  }

  /** Running jobs first (live state), then the most recent ended ones from the database. */
  list(limit = 100): JobSnapshot[] {
    const out = new Map<string, JobSnapshot>();
    for (const j of this.live.values()) out.set(j.snap.job, this.copy(j.snap));
    for (const row of this.selectRecent.all(limit) as { snapshot: string }[]) {
      const s = JSON.parse(row.snapshot) as JobSnapshot;
      if (!out.has(s.job)) out.set(s.job, s);
    }
    return [...out.values()].slice(0, Math.max(limit, this.live.size));
  }

  get(id: string): JobSnapshot {
    const j = this.live.get(id);
    if (j) return this.copy(j.snap);
    const row = this.selectOne.get(id) as { snapshot: string } | undefined;
    if (!row) throw new NotFoundError(`no job with id ${id}`);
    return JSON.parse(row.snapshot) as JobSnapshot;
  }

  /** Requests cancellation; the job ends as 'cancelled' once its runner returns. Ended jobs are returned as is. */
  cancel(id: string): JobSnapshot {
    const j = this.live.get(id);
    if (!j) return this.get(id);
    if (!j.controller.signal.aborted) {
      j.controller.abort(new CancelledError(`${j.snap.kind} job ${id} was cancelled`));
      j.snap.message = 'cancelling';
      this.emitNow(j);
    }
    return this.copy(j.snap);
  }

  /** Resolves with the final snapshot when the job ends (immediately for ended jobs). */
  wait(id: string): Promise<JobSnapshot> {
    const j = this.live.get(id);
    if (j) return j.done;
    return Promise.resolve(this.get(id));
  }

  /** Cancels every running job and waits (up to `timeoutMs`) for them to end. */
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
    // Runners that ignored cancellation: record them as interrupted so nothing stays 'running'.
    for (const j of this.live.values()) {
      this.finish(j, 'failed', { error: new InterruptedError(`${j.snap.kind} job ${j.snap.job} did not stop at shutdown`) });
    }
  }

  private update(job: LiveJob, u: JobUpdate): void {
    if (ENDED.includes(job.snap.state)) return;
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
    if (u.detail !== undefined) s.detail = { ...(s.detail ?? {}), ...u.detail };
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
        if (!ENDED.includes(job.snap.state)) this.emitNow(job);
      }, this.throttleMs - (t - job.lastEmit));
      job.timer.unref?.();
    }
  }

  private finish(job: LiveJob, state: JobState, extra: { result?: unknown; error?: unknown } = {}): void {
    if (ENDED.includes(job.snap.state)) return;
    if (job.timer) clearTimeout(job.timer);
    job.timer = undefined;
    const s = job.snap;
    s.state = state;
    s.endedAt = new Date(this.now()).toISOString();
    s.etaSeconds = undefined;
    if (state === 'done') {
      if (s.total > 0) s.current = s.total;
      s.result = jsonSafe(extra.result);
      s.message = s.message === 'cancelling' ? undefined : s.message;
    } else if (state === 'cancelled') {
      s.message = 'cancelled';
    } else {
      s.error = serializeError(extra.error);
      s.message = s.error.message;
    }
    this.persist(job);
    this.emitNow(job);
    this.live.delete(s.job);
  }

  private emitNow(job: LiveJob): void {
    job.lastEmit = this.now();
    const { job: id, kind, state, step, current, total, rate, etaSeconds, message, detail } = job.snap;
    const p: JobProgress = { job: id, kind, state, step, current, total };
    if (rate !== undefined) p.rate = rate;
    if (etaSeconds !== undefined) p.etaSeconds = etaSeconds;
    if (message !== undefined) p.message = message;
    if (detail !== undefined) p.detail = { ...detail };
    this.opts.emit(p);
  }

  private persist(job: LiveJob): void {
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
      .prepare(`SELECT id, snapshot, owner_pid FROM jobs WHERE state IN ('queued','running')`)
      .all() as { id: string; snapshot: string; owner_pid: number }[];
    const endedAt = new Date(this.now()).toISOString();
    for (const r of rows) {
      if (r.owner_pid !== process.pid && isAlive(r.owner_pid)) continue; // another live process owns it
      const s = JSON.parse(r.snapshot) as JobSnapshot;
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

  private copy(s: JobSnapshot): JobSnapshot {
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
