// Pure bookkeeping for the jobs tray: merges `job-progress` events and `jobs:list` snapshots into one map,
// keyed by job id. Kept free of Svelte so it can be unit-tested in plain Node.
import type { JobProgress, JobSnapshot, JobState } from '../../../app/contract/types.js';
import { fractionDone } from '../lib/figures.js';

export type JobView = JobProgress & Partial<Pick<JobSnapshot, 'startedAt' | 'endedAt' | 'error'>>;
export type JobMap = Readonly<Record<string, JobView>>;

const FINISHED: ReadonlySet<JobState> = new Set(['done', 'failed', 'cancelled']);

export function isFinished(state: JobState): boolean {
  return FINISHED.has(state);
}

export function isActive(state: JobState): boolean {
  return !isFinished(state);
}

/** One progress event on top of what is known; a finished job never goes back to running. */
export function mergeProgress(jobs: JobMap, progress: JobProgress): JobMap {
  const known = jobs[progress.job];
  if (known && isFinished(known.state) && !isFinished(progress.state)) return jobs;
  return { ...jobs, [progress.job]: { ...known, ...progress } };
}

/**
 * A fresh `jobs:list` snapshot replaces the map; progress events that arrived while the list was in flight
 * are newer than the snapshot and are applied on top of it.
 */
export function fromSnapshot(list: readonly JobSnapshot[], arrivedMeanwhile: readonly JobProgress[] = []): JobMap {
  let jobs: JobMap = {};
  for (const snap of list) jobs = { ...jobs, [snap.job]: { ...snap } };
  for (const progress of arrivedMeanwhile) jobs = mergeProgress(jobs, progress);
  return jobs;
}

/** 0..1, or null when the total is unknown; a job that is done is all done. */
export function fraction(job: Pick<JobProgress, 'current' | 'total' | 'state'>): number | null {
  return job.state === 'done' ? 1 : fractionDone(job.current, job.total);
}
