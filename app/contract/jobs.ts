// Typed jobs: one declaration per job kind gives its step, progress detail and result types to the job manager,
// the transports, the CLI and the renderer. `JobProgress` and `JobSnapshot` are tagged unions on `kind`, so
// narrowing on `job.kind === 'import'` types `step`, `detail` and `result` without a cast.
//
// Adding a kind: declare its step union, detail and result in your domain's type file (types/<domain>.ts) and add
// one line to `JobKinds` below.
import type { SerializedError } from './types/errors.js';
import type { ImportProgressDetail, ImportRun, ImportStep } from './types/import.js';
import type { PreprocessProgressDetail, PreprocessResult, PreprocessStep } from './types/data.js';
import type { EmbedProgressDetail, EmbedResult, EmbedStep } from './types/embed.js';
import type { ExportProgressDetail, ExportRecord, ExportStep } from './types/export.js';
import type { PretrainProgressDetail, PretrainResult, PretrainStep } from './types/runs.js';

/** What one kind of job reports: the steps it goes through, its progress detail and its final result. */
export interface JobKindSpec<Step extends string, Detail extends object, Result> {
  step: Step;
  detail: Detail;
  result: Result;
}

/** The per-kind map. One line per job kind. */
export interface JobKinds {
  import: JobKindSpec<ImportStep, ImportProgressDetail, ImportRun>;
  preprocess: JobKindSpec<PreprocessStep, PreprocessProgressDetail, PreprocessResult>;
  embed: JobKindSpec<EmbedStep, EmbedProgressDetail, EmbedResult>;
  export: JobKindSpec<ExportStep, ExportProgressDetail, ExportRecord>;
  pretrain: JobKindSpec<PretrainStep, PretrainProgressDetail, PretrainResult>;
}

export type JobKind = keyof JobKinds;
export type JobStep<K extends JobKind> = JobKinds[K]['step'];
export type JobDetail<K extends JobKind> = JobKinds[K]['detail'];
export type JobResult<K extends JobKind> = JobKinds[K]['result'];

/**
 * queued: waiting for an earlier job of the same queue (e.g. imports run one after another);
 * running; pausing: asked to pause, finishing its current unit of work; paused: holding at a pause point until
 * resumed or cancelled; cancelling: asked to stop, winding down; done / failed / cancelled: ended.
 */
export const JOB_STATES = ['queued', 'running', 'pausing', 'paused', 'cancelling', 'done', 'failed', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];
export const ENDED_JOB_STATES: readonly JobState[] = ['done', 'failed', 'cancelled'];

export function isJobEnded(state: JobState): boolean {
  return ENDED_JOB_STATES.includes(state);
}

/** Any map of kinds (the job manager is generic over it; the app uses JobKinds). */
export type JobKindMap<M> = { [K in keyof M]: JobKindSpec<string, object, unknown> };

export interface JobProgressOf<M extends JobKindMap<M>, K extends keyof M & string> {
  job: string;
  kind: K;
  state: JobState;
  /** What it is doing now (one of the kind's steps). */
  step: M[K]['step'];
  current: number;
  /** 0 when unknown. */
  total: number;
  message?: string;
  /** Items per second over the recent window, when meaningful. */
  rate?: number;
  etaSeconds?: number;
  /** Whether jobs:pause applies to this job. */
  pausable: boolean;
  detail: M[K]['detail'];
  /** The result of a job that is 'done', on the event that ends it (and in its snapshot). */
  result?: M[K]['result'];
  /** What made a job 'failed', on the event that ends it (and in its snapshot). */
  error?: SerializedError;
}

export interface JobSnapshotOf<M extends JobKindMap<M>, K extends keyof M & string> extends JobProgressOf<M, K> {
  startedAt: string;
  endedAt?: string;
}

/** Progress / snapshot unions over any kind map, tagged on `kind`. */
export type JobProgressIn<M extends JobKindMap<M>, K extends keyof M & string = keyof M & string> = { [P in K]: JobProgressOf<M, P> }[K];
export type JobSnapshotIn<M extends JobKindMap<M>, K extends keyof M & string = keyof M & string> = { [P in K]: JobSnapshotOf<M, P> }[K];

/** A job's progress as pushed by `job-progress` (state changes included); narrow on `kind`. */
export type JobProgress<K extends JobKind = JobKind> = JobProgressIn<JobKinds, K>;
/** A job as `jobs:list` / `jobs:get` return it (persisted; survives a reload); narrow on `kind`. */
export type JobSnapshot<K extends JobKind = JobKind> = JobSnapshotIn<JobKinds, K>;
