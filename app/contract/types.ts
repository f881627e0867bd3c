// Plain data types that cross the contract, one file per domain under types/, re-exported here so that callers
// import from one place. No behaviour, no imports from services. Job types live in jobs.ts.
export * from './types/errors.js';
export * from './types/info.js';
export * from './types/import.js';
export * from './types/fs.js';
export * from './types/series.js';
export * from './types/data.js';
export * from './types/embed.js';
export * from './types/search.js';
export * from './types/labels.js';
export * from './types/cohort.js';
export * from './types/export.js';
export * from './types/runs.js';
export type { JobKind, JobKinds, JobState, JobProgress, JobSnapshot, JobStep, JobDetail, JobResult } from './jobs.js';
