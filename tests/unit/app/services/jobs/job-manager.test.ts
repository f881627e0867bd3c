import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCatalogue } from '../../../../../app/services/catalogue/database.js';
import { JobManager } from '../../../../../app/services/jobs/job-manager.js';
import type { JobProgress } from '../../../../../app/contract/types.js';

const cleanup: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

function setup(opts: { throttleMs?: number; dir?: string } = {}) {
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'vb-jobs-'));
  const db = openCatalogue(dir);
  const events: JobProgress[] = [];
  const jobs = new JobManager({ db, emit: (p) => events.push(p), throttleMs: opts.throttleMs });
  cleanup.push(() => {
    if (db.open) db.close();
  });
  cleanup.push(() => jobs.close(1000));
  return { dir, db, jobs, events };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('JobManager', () => {
  it('runs a job, reports progress with rate and ETA, and keeps the result', async () => {
    const { jobs, events } = setup({ throttleMs: 0 });
    const first = jobs.start('test', async (ctx) => {
      ctx.progress({ step: 'count', total: 20 });
      for (let i = 1; i <= 20; i++) {
        await sleep(10);
        ctx.progress({ current: i, detail: { last: i } });
      }
      return { counted: 20 };
    });
    expect(first.state).toBe('running');
    const end = await jobs.wait(first.job);
    expect(end).toMatchObject({ state: 'done', step: 'count', current: 20, total: 20, result: { counted: 20 } });
    expect(end.endedAt).toBeTruthy();
    const mid = events.filter((e) => e.state === 'running' && e.current >= 10 && e.current < 20);
    expect(mid.length).toBeGreaterThan(0);
    const withRate = mid.find((e) => e.rate !== undefined)!;
    // ~10 ms per item -> at most ~100 items/s (less on a loaded machine), ETA consistent with rate
    expect(withRate.rate).toBeGreaterThan(5);
    expect(withRate.rate).toBeLessThan(110);
    expect(withRate.etaSeconds).toBeCloseTo((20 - withRate.current) / withRate.rate!, 6);
    expect(events.at(-1)).toMatchObject({ state: 'done', kind: 'test', job: first.job });
    expect(events.at(-1)!.detail).toEqual({ last: 20 });
  });

  it('throttles progress events to about one per throttle period', async () => {
    const { jobs, events } = setup({ throttleMs: 100 });
    const j = jobs.start('burst', async (ctx) => {
      const t0 = Date.now();
      let i = 0;
      while (Date.now() - t0 < 500) {
        ctx.progress({ current: ++i, total: 1e9 });
        await new Promise((r) => setImmediate(r));
      }
      return i;
    });
    const end = await jobs.wait(j.job);
    const calls = end.result as number;
    const running = events.filter((e) => e.state === 'running');
    expect(calls).toBeGreaterThan(1000);
    expect(running.length).toBeGreaterThanOrEqual(3);
    expect(running.length).toBeLessThanOrEqual(9); // 500 ms at 10/s plus the start event and a trailing one
  });

  it('cancels through the AbortSignal and ends as cancelled', async () => {
    const { jobs, events } = setup({ throttleMs: 0 });
    let sawAbort = false;
    const j = jobs.start('long', async (ctx) => {
      for (let i = 0; i < 1000; i++) {
        if (ctx.signal.aborted) {
          sawAbort = true;
          ctx.throwIfCancelled();
        }
        ctx.progress({ current: i, total: 1000 });
        await sleep(5);
      }
      return 'finished';
    });
    await sleep(50);
    const c = jobs.cancel(j.job);
    expect(c.state).toBe('running'); // cancellation requested; the runner stops at its next check
    const end = await jobs.wait(j.job);
    expect(sawAbort).toBe(true);
    expect(end.state).toBe('cancelled');
    expect(end.result).toBeUndefined();
    expect(events.at(-1)!.state).toBe('cancelled');
    expect(jobs.cancel(j.job).state).toBe('cancelled'); // idempotent on ended jobs
  });

  it('records a failure with the named error', async () => {
    const { jobs } = setup();
    class ParseError extends Error {
      override name = 'ParseError';
    }
    const j = jobs.start('bad', async () => {
      throw new ParseError('file /x/1.dcm is truncated');
    });
    const end = await jobs.wait(j.job);
    expect(end.state).toBe('failed');
    expect(end.error).toMatchObject({ name: 'ParseError', message: 'file /x/1.dcm is truncated' });
  });

  it('persists snapshots so a new manager (a reloaded client) lists and gets them', async () => {
    const { dir, jobs, db } = setup();
    const j = jobs.start('persist', async (ctx) => {
      ctx.progress({ step: 'work', current: 3, total: 3 });
      return 7;
    });
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
    });
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
    });
    await jobs.close(1000);
    const row = db.prepare('SELECT state FROM jobs WHERE id = ?').get(j.job) as { state: string };
    expect(row.state).toBe('cancelled');
    expect(() => jobs.start('late', async () => 1)).toThrow(/closed/);
  });
});
