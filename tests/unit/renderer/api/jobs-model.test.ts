// Jobs tray bookkeeping (renderer/src/api/jobs-model.ts): merging progress events and jobs:list snapshots.
import { describe, expect, it } from 'vitest';
import type { JobProgress, JobSnapshot } from '../../../../app/contract/types.js';
import {
  fraction,
  fromSnapshot,
  isActive,
  mergeAnswer,
  mergeProgress,
} from '../../../../renderer/src/api/jobs-model.js';

const DETAIL = { run: 1, step: 'parse', filesScanned: 0, filesRead: 0, filesUnchanged: 0, seriesFound: 0, notImported: 0, bytesRead: 0 } as const;
const progress = (over: Partial<JobProgress<'import'>>): JobProgress<'import'> => ({
  job: 'j1',
  kind: 'import',
  state: 'running',
  step: 'parse',
  current: 0,
  total: 100,
  pausable: false,
  detail: DETAIL,
  ...over,
});

describe('mergeProgress', () => {
  it('adds new jobs and updates known ones, keeping earlier fields', () => {
    let jobs = fromSnapshot([{ ...progress({ current: 5 }), startedAt: '2026-01-01T00:00:00Z' }]);
    jobs = mergeProgress(jobs, { ...progress({ current: 40, step: 'assemble' }), detail: { ...DETAIL, seriesFound: 2 } });
    expect(jobs.j1).toMatchObject({ current: 40, step: 'assemble', startedAt: '2026-01-01T00:00:00Z', detail: { seriesFound: 2 } });
    jobs = mergeProgress(jobs, progress({ job: 'j2' }));
    expect(Object.keys(jobs).sort()).toEqual(['j1', 'j2']);
  });

  it('never moves a finished job back to running (late, out-of-order events)', () => {
    let jobs = mergeProgress({}, progress({ state: 'cancelled', current: 10 }));
    const before = jobs;
    jobs = mergeProgress(jobs, progress({ state: 'running', current: 9 }));
    expect(jobs).toBe(before);
    expect(jobs.j1?.state).toBe('cancelled');
  });
});

describe('mergeAnswer', () => {
  it("keeps the events that overtook a control call's answer: a pause taken at once stays 'paused'", () => {
    let jobs = mergeProgress({}, progress({ state: 'running', current: 14 }));
    const overtaking = [progress({ state: 'paused', current: 14 }), progress({ job: 'other', state: 'running' })];
    jobs = mergeAnswer(jobs, progress({ state: 'pausing', current: 14 }), overtaking);
    expect(jobs.j1?.state).toBe('paused');
    expect(jobs.other).toBeUndefined(); // only the answered job's events are applied again
    expect(mergeAnswer(jobs, progress({ state: 'running', current: 15 }), []).j1?.state).toBe('running');
  });
});

describe('fromSnapshot', () => {
  it('replaces the map with the list, then applies events that arrived while it was in flight', () => {
    const list: JobSnapshot[] = [
      { ...progress({ job: 'a', current: 10 }), startedAt: '2026-01-01T00:00:00Z' },
      { ...progress({ job: 'b', state: 'done', current: 100 }), startedAt: '2026-01-01T00:00:00Z' },
    ];
    const jobs = fromSnapshot(list, [progress({ job: 'a', current: 20 }), progress({ job: 'c', current: 1 })]);
    expect(Object.keys(jobs).sort()).toEqual(['a', 'b', 'c']);
    expect(jobs.a).toMatchObject({ current: 20, startedAt: '2026-01-01T00:00:00Z' });
    expect(jobs.b?.state).toBe('done');
  });
});

describe('display helpers', () => {
  it('computes the progress fraction, null when the total is unknown', () => {
    expect(fraction(progress({ current: 25, total: 100 }))).toBe(0.25);
    expect(fraction(progress({ current: 250, total: 100 }))).toBe(1);
    expect(fraction(progress({ current: 3, total: 0 }))).toBeNull();
    expect(fraction(progress({ state: 'done', current: 3, total: 0 }))).toBe(1);
    expect(isActive('queued')).toBe(true);
    expect(isActive('failed')).toBe(false);
  });
});
