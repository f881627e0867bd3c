// Pure bookkeeping for the jobs tray: merges `job-progress` events and `jobs:list` snapshots into one map,
// keyed by job id. Kept free of Svelte so it can be unit-tested in plain Node.
import type { JobKind, JobProgress, JobSnapshot, JobState } from '../../../app/contract/jobs.js';
import { isJobEnded } from '../../../app/contract/jobs.js';
import { fractionDone } from '../lib/figures.js';

/** A job as the tray knows it: its latest progress plus what a snapshot adds (tagged on `kind`). */
export type JobView<K extends JobKind = JobKind> = {
  [P in K]: JobProgress<P> & Partial<Pick<JobSnapshot<P>, 'startedAt' | 'endedAt'>>;
}[K];
export type JobMap = Readonly<Record<string, JobView>>;

export function isFinished(state: JobState): boolean {
  return isJobEnded(state);
}

/** Narrows a job to one kind (its step, detail and result types follow). */
export function isKind<K extends JobKind>(job: JobView | undefined, kind: K): job is Extract<JobView, { kind: K }> {
  return job?.kind === kind;
}

export function isActive(state: JobState): boolean {
  return !isFinished(state);
}

/** One progress event on top of what is known; a finished job never goes back to running. */
export function mergeProgress(jobs: JobMap, progress: JobProgress): JobMap {
  const known = jobs[progress.job];
  if (known && isFinished(known.state) && !isFinished(progress.state)) return jobs;
  return { ...jobs, [progress.job]: { ...known, ...progress } as JobView };
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

/**
 * The answer of a jobs:pause / resume / cancel call on top of what is known; events about that job that arrived
 * while the call was in flight are newer than the answer and are applied on top of it (a pause taken at once sends
 * its 'paused' event, which can overtake the call's 'pausing' answer).
 */
export function mergeAnswer(jobs: JobMap, answer: JobProgress, arrivedMeanwhile: readonly JobProgress[]): JobMap {
  let out = mergeProgress(jobs, answer);
  for (const progress of arrivedMeanwhile) if (progress.job === answer.job) out = mergeProgress(out, progress);
  return out;
}

/** 0..1, or null when the total is unknown; a job that is done is all done. */
export function fraction(job: Pick<JobProgress, 'current' | 'total' | 'state'>): number | null {
  return job.state === 'done' ? 1 : fractionDone(job.current, job.total);
}
