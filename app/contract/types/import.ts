// import:*: import runs, their progress detail and per-file errors. Import is a job of kind 'import'
// (../jobs.ts): its step is an ImportStep, its detail an ImportProgressDetail, its result an ImportRun.

export type ImportStep = 'scan' | 'parse' | 'assemble' | 'thumbnails';

export interface ImportProgressDetail {
  run: number;
  step: ImportStep;
  filesScanned: number;
  /** Files read and parsed this run (new or changed since the last import). */
  filesParsed: number;
  /** Files already catalogued with the same size and mtime (not read again). */
  filesUnchanged: number;
  seriesFound: number;
  errors: number;
  /** Bytes read so far (headers, then pixel data for thumbnails). */
  bytesRead: number;
}

export interface ImportStartResult {
  /** Job id: follow it with `job-progress` events, cancel it with `jobs:cancel`. */
  job: string;
  /** Import run id (see `import:runs`, `import:errors`). */
  run: number;
}

/** 'interrupted': the process died while it ran (its incomplete series are redone by the next import). */
export type ImportRunState = 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';

export interface ImportRun {
  id: number;
  state: ImportRunState;
  /** Absolute paths given to the import. */
  roots: string[];
  startedAt: string;
  endedAt: string | null;
  filesScanned: number;
  filesParsed: number;
  filesUnchanged: number;
  /** Catalogued files no longer found under the roots (marked missing). */
  filesMissing: number;
  /** Series created or re-assembled by this run. */
  seriesTouched: number;
  errors: number;
  /** Error message when state is 'failed'. */
  message: string | null;
}

/**
 * Why a file was not catalogued as an image. 'non-image' objects (SR, presentation states, RT plans ...)
 * are valid DICOM without pixels; they are listed here so nothing disappears silently.
 */
export type FileErrorReason =
  | 'zero-byte'
  | 'not-dicom'
  | 'truncated'
  | 'non-image'
  | 'unreadable'
  | 'corrupt'
  | 'corrupt-gzip'
  | 'unsupported'
  | 'assembly';

export interface FileErrorRow {
  id: number;
  run: number;
  path: string;
  reason: FileErrorReason;
  /** The detail, naming the file (e.g. "pixel data needs 8192 bytes, file has 4000"). */
  message: string;
  /** SOP Class UID for non-image DICOM objects, when known. */
  sopClassUid: string | null;
  at: string;
}

export interface FileErrorPage {
  total: number;
  rows: FileErrorRow[];
}
