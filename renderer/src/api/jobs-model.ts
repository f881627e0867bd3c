// Pure bookkeeping for the jobs tray: merges `job-progress` events and `jobs:list` snapshots into one map,
// keyed by job id. Kept free of Svelte so it can be unit-tested in plain Node.
import type { JobProgress, JobSnapshot, JobState } from '../../../app/contract/types.js';

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

/** 0..1, or null when the total is unknown. */
export function fraction(job: Pick<JobProgress, 'current' | 'total' | 'state'>): number | null {
  if (job.state === 'done') return 1;
  if (!(job.total > 0)) return null;
  return Math.min(1, Math.max(0, job.current / job.total));
}

/** "1 h 02 min", "3 min 05 s", "42 s". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}
