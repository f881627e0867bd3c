// The job manager: progress with rate and ETA, throttled events, cancellation, persistence and re-attach,
// jobs of crashed processes. Time is the manager's injected clock (and vitest's fake timers for the
// throttle's trailing timer) wherever an assertion depends on it, so nothing here depends on how fast
// or how loaded the machine is.
import { afterEach, describe, expect, it, vi } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCatalogue } from '../../../../../app/services/catalogue/database.js';
import { JobManager, type JobContext } from '../../../../../app/services/jobs/job-manager.js';
import type { JobKindSpec, JobProgressIn } from '../../../../../app/contract/jobs.js';

/** Any kind name, free-form steps and details: the manager is generic over its kind map. */
type TestKinds = Record<string, JobKindSpec<string, Record<string, unknown>, unknown>>;
type Ctx = JobContext<TestKinds, string>;
const START = { step: 'start', detail: {} };

const cleanup: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

function setup(opts: { throttleMs?: number; dir?: string; now?: () => number } = {}) {
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'vb-jobs-'));
  const db = openCatalogue(dir);
  const events: JobProgressIn<TestKinds>[] = [];
  /** When each event was emitted, on the manager's clock. */
  const emittedAt: number[] = [];
  const now = opts.now ?? Date.now;
  const jobs = new JobManager<TestKinds>({
    db,
    emit: (p) => {
      events.push(p);
      emittedAt.push(now());
    },
    throttleMs: opts.throttleMs,
    now: opts.now,
  });
  cleanup.push(() => {
    if (db.open) db.close();
  });
  cleanup.push(() => jobs.close(1000));
  return { dir, db, jobs, events, emittedAt };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('JobManager', () => {
  it('runs a job, reports progress with rate and ETA, and keeps the result', async () => {
    // 20 items 10 ms apart on the manager's clock: exactly 100 items/s.
    let clock = 1_700_000_000_000;
    const { jobs, events } = setup({ throttleMs: 0, now: () => clock });
    const first = jobs.start('test', async (ctx) => {
      ctx.progress({ step: 'count', total: 20 });
      for (let i = 1; i <= 20; i++) {
        await sleep(1);
        clock += 10;
        ctx.progress({ current: i, detail: { last: i } });
      }
      return { counted: 20 };
    }, START);
    expect(first.state).toBe('running');
    const end = await jobs.wait(first.job);
    expect(end).toMatchObject({ state: 'done', step: 'count', current: 20, total: 20, result: { counted: 20 } });
    expect(end.endedAt).toBe(new Date(clock).toISOString());
    const mid = events.filter((e) => e.state === 'running' && e.current >= 10 && e.current < 20);
    expect(mid).toHaveLength(10);
    for (const e of mid) {
      expect(e.rate).toBeCloseTo(100, 6);
      expect(e.etaSeconds).toBeCloseTo((20 - e.current) / 100, 6);
    }
    // The rate needs samples spanning 50 ms: none after the first item.
    expect(events.find((e) => e.state === 'running' && e.current === 1)?.rate).toBeUndefined();
    // The event that ends the job carries its result (the jobs tray shows it without asking again).
    expect(events.at(-1)).toMatchObject({ state: 'done', kind: 'test', job: first.job, result: { counted: 20 } });
    expect(events.at(-1)!.detail).toEqual({ last: 20 });
    expect(events.filter((e) => e.result !== undefined)).toHaveLength(1);
  });

  it('throttles progress events to one per throttle period, and the last value always goes out', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    cleanup.push(() => {
      vi.useRealTimers();
    });
    const { jobs, events, emittedAt } = setup({ throttleMs: 100, now: () => Date.now() });
    let ctx!: Ctx;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const j = jobs.start('burst', async (c) => {
      ctx = c;
      await gate;
      return 'ok';
    }, START);
    const t0 = Date.now();
    // A burst: one update every millisecond for 500 ms.
    for (let i = 1; i <= 500; i++) {
      vi.advanceTimersByTime(1);
      ctx.progress({ current: i, total: 1e9 });
    }
    vi.advanceTimersByTime(150); // the trailing event
    const running = events.filter((e) => e.state === 'running');
    const times = emittedAt.slice(0, running.length);
    // One event at the start, then one per 100 ms: never two within a period, never a period skipped.
    expect(running.length).toBeGreaterThanOrEqual(6);
    expect(running.length).toBeLessThanOrEqual(7);
    expect(times[0]).toBe(t0);
    for (let k = 1; k < times.length; k++) {
      expect(times[k]! - times[k - 1]!).toBeGreaterThanOrEqual(100);
      expect(times[k]! - times[k - 1]!).toBeLessThanOrEqual(101);
    }
    expect(running.at(-1)!.current).toBe(500); // the last value, by the trailing timer

    // An update after a quiet period goes out at once.
    vi.setSystemTime(Date.now() + 250);
    ctx.progress({ current: 501 });
    expect(events.at(-1)!.current).toBe(501);
    // A trailing timer that fires late (the event loop was busy) never emits a second event within one
    // period of a direct one: update (timer armed), the clock passes the period while the timer has not
    // run yet, a direct event goes out, then the late timer runs.
    ctx.progress({ current: 502 });
    vi.setSystemTime(Date.now() + 120);
    ctx.progress({ current: 503 });
    const direct = events.length;
    expect(events.at(-1)!.current).toBe(503);
    vi.advanceTimersByTime(99);
    expect(events.length).toBe(direct);
    vi.advanceTimersByTime(300);
    expect(events.length).toBe(direct);

    release();
    vi.useRealTimers();
    const end = await jobs.wait(j.job);
    expect(end.state).toBe('done');
    expect(events.at(-1)).toMatchObject({ state: 'done', job: j.job });
  });

  it('cancels through the AbortSignal and ends as cancelled', async () => {
    const { jobs, events } = setup({ throttleMs: 0 });
    let sawAbort = false;
    let running!: () => void;
    const isRunning = new Promise<void>((r) => (running = r));
    // Runs until cancelled, however slow the machine: it cannot end by itself before the cancel.
    const j = jobs.start('long', async (ctx) => {
      for (let i = 0; ; i++) {
        if (ctx.signal.aborted) {
          sawAbort = true;
          ctx.throwIfCancelled();
        }
        ctx.progress({ current: i, total: 1_000_000 });
        if (i === 3) running();
        await sleep(5);
      }
    }, START);
    await isRunning;
    const c = jobs.cancel(j.job);
    expect(c.state).toBe('cancelling'); // cancellation requested; the runner stops at its next check
    expect(events.at(-1)!.state).toBe('cancelling');
    const end = await jobs.wait(j.job);
    expect(sawAbort).toBe(true);
    expect(end.state).toBe('cancelled');
    expect(end.current).toBeGreaterThanOrEqual(3);
    expect(end.result).toBeUndefined();
    expect(events.at(-1)!.state).toBe('cancelled');
    expect(jobs.cancel(j.job).state).toBe('cancelled'); // idempotent on ended jobs
  });

  it('records a failure with the named error', async () => {
    const { jobs, events } = setup();
    class ParseError extends Error {
      override name = 'ParseError';
    }
    const j = jobs.start('bad', async () => {
      throw new ParseError('file /x/1.dcm is truncated');
    }, START);
    const end = await jobs.wait(j.job);
    expect(end.state).toBe('failed');
    expect(end.error).toMatchObject({ name: 'ParseError', message: 'file /x/1.dcm is truncated' });
    expect(events.at(-1)).toMatchObject({ state: 'failed', error: { name: 'ParseError', message: 'file /x/1.dcm is truncated' } });
  });

  it('persists snapshots so a new manager (a reloaded client) lists and gets them', async () => {
    const { dir, jobs, db } = setup();
    const j = jobs.start('persist', async (ctx) => {
      ctx.progress({ step: 'work', current: 3, total: 3 });
      return 7;
    }, START);
    await jobs.wait(j.job);
    await jobs.close();
    db.close();
    const again = setup({ dir });
    expect(again.jobs.get(j.job)).toMatchObject({ job: j.job, kind: 'persist', state: 'done', result: 7 });
    expect(again.jobs.list().map((s) => s.job)).toContain(j.job);
    expect(() => again.jobs.get('no-such-job')).toThrow(/no job with id no-such-job/);
  });

  it('lists running jobs with their live progress', async () => {
    const { jobs } = setup({ throttleMs: 0 });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const j = jobs.start('live', async (ctx) => {
      ctx.progress({ step: 'scan', current: 5, total: 10 });
      await gate;
    }, START);
    const listed = jobs.list().find((s) => s.job === j.job)!;
    expect(listed).toMatchObject({ state: 'running', step: 'scan', current: 5, total: 10 });
    release();
    await jobs.wait(j.job);
  });

  it('marks jobs left running by a crashed process as failed (interrupted)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-jobs-'));
    const db = openCatalogue(dir);
    const now = new Date().toISOString();
    const snap = { job: 'crashed-1', kind: 'import', state: 'running', step: 'parse', current: 40, total: 100, startedAt: now };
    const insert = db.prepare(
      'INSERT INTO jobs (id, kind, state, snapshot, owner_pid, started_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const deadPid = 2 ** 22 + 12345; // above Linux's pid_max default: never alive
    insert.run('crashed-1', 'import', 'running', JSON.stringify(snap), deadPid, now, now);
    // a job owned by another live process sharing the data folder is left alone
    insert.run('other-1', 'import', 'running', JSON.stringify({ ...snap, job: 'other-1' }), process.ppid, now, now);
    db.close();
    const { jobs } = setup({ dir });
    const s = jobs.get('crashed-1');
    expect(s.state).toBe('failed');
    expect(s.error).toMatchObject({ name: 'InterruptedError' });
    expect(s.error!.message).toMatch(/import job crashed-1 was interrupted.*'parse'/);
    expect(s.endedAt).toBeTruthy();
    expect(jobs.get('other-1').state).toBe('running');
  });

  it('close() cancels running jobs and leaves nothing running in the database', async () => {
    const { jobs, db } = setup();
    const j = jobs.start('stubborn', async (ctx) => {
      await new Promise((r) => ctx.signal.addEventListener('abort', r));
    }, START);
    await jobs.close(1000);
    const row = db.prepare('SELECT state FROM jobs WHERE id = ?').get(j.job) as { state: string };
    expect(row.state).toBe('cancelled');
    expect(() => jobs.start('late', async () => 1, START)).toThrow(/closed/);
  });
  it('runs the jobs of one queue one after another; the later ones are queued, and a queued job can be cancelled', async () => {
    const { jobs, events } = setup({ throttleMs: 0 });
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const a = jobs.start('a', async () => {
      order.push('a-start');
      await gate;
      order.push('a-end');
    }, { ...START, queue: 'q' });
    const b = jobs.start('b', async () => {
      order.push('b');
    }, { ...START, queue: 'q' });
    const c = jobs.start('c', async () => {
      order.push('c');
    }, { ...START, queue: 'q' });
    const other = jobs.start('other', async () => {
      order.push('other');
    }, START); // another queue (none): starts at once
    expect(a.state).toBe('running');
    expect(b.state).toBe('queued');
    expect(jobs.get(c.job).state).toBe('queued');
    await jobs.wait(other.job);
    expect(jobs.cancel(c.job).state).toBe('cancelling');
    release();
    expect((await jobs.wait(a.job)).state).toBe('done');
    expect((await jobs.wait(b.job)).state).toBe('done');
    expect((await jobs.wait(c.job)).state).toBe('cancelled');
    expect(order).toEqual(['a-start', 'other', 'a-end', 'b']);
    // b went queued -> running -> done, in that order, in its events
    const bStates = events.filter((e) => e.job === b.job).map((e) => e.state);
    expect(bStates).toEqual(['queued', 'running', 'done']);
  });

  it('pauses a pausable job at its pause point, resumes it, and cancels it while paused', async () => {
    const { jobs, events } = setup({ throttleMs: 0 });
    let units = 0;
    let reached!: () => void;
    let atTwo = new Promise<void>((r) => (reached = r));
    const j = jobs.start('train', async (ctx) => {
      for (;;) {
        await ctx.pausePoint();
        units++;
        ctx.progress({ current: units });
        if (units === 2) reached();
        await sleep(2);
      }
    }, { ...START, pausable: true });
    await atTwo;
    expect(jobs.pause(j.job).state).toBe('pausing');
    await expect.poll(() => jobs.get(j.job).state).toBe('paused');
    const held = units;
    await sleep(30);
    expect(units).toBe(held); // nothing runs while paused
    expect(jobs.resume(j.job).state).toBe('running');
    await expect.poll(() => units).toBeGreaterThan(held);
    atTwo = Promise.resolve();
    jobs.pause(j.job);
    await expect.poll(() => jobs.get(j.job).state).toBe('paused');
    expect(jobs.cancel(j.job).state).toBe('cancelling');
    const end = await jobs.wait(j.job);
    expect(end.state).toBe('cancelled');
    const states = events.filter((e) => e.job === j.job).map((e) => e.state);
    expect(states).toEqual(expect.arrayContaining(['running', 'pausing', 'paused', 'cancelling', 'cancelled']));
    expect(states.indexOf('pausing')).toBeLessThan(states.indexOf('paused'));
  });

  it('tells a runner of a pause request at once, once per request, until it stops listening', async () => {
    const { jobs } = setup();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const heard: string[] = [];
    let off!: () => void;
    const j = jobs.start('train', async (ctx) => {
      off = ctx.onPauseRequest(() => heard.push(jobs.get(ctx.id).state));
      await gate;
      await ctx.pausePoint();
    }, { ...START, pausable: true });
    await expect.poll(() => off).toBeTypeOf('function');
    jobs.pause(j.job);
    jobs.pause(j.job); // already requested: not heard twice
    expect(heard).toEqual(['pausing']);
    jobs.resume(j.job);
    off();
    jobs.pause(j.job);
    expect(heard).toEqual(['pausing']);
    jobs.resume(j.job);
    release();
    expect((await jobs.wait(j.job)).state).toBe('done');
  });

  it('refuses to pause a job that is not pausable', async () => {
    const { jobs } = setup();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const j = jobs.start('import', async () => gate, START);
    expect(() => jobs.pause(j.job)).toThrow(/cannot be paused/);
    release();
    await jobs.wait(j.job);
  });
});
