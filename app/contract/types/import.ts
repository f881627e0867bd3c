// import:*: import runs, their progress detail and the files not imported. Import is a job of kind 'import'
// (../jobs.ts): its step is an ImportStep, its detail an ImportProgressDetail, its result an ImportRun.
//
// One vocabulary for what an import could not use, in the contract, the CLI and the UI: a file is "not
// imported" (never "error", "problem", "not used"), always with a reason (NotImportedReason, worded by
// NOT_IMPORTED_REASON_LABELS) and a message naming the file. When a run is done,
//   filesScanned = filesImported + filesUnchanged + notImported.

export type ImportStep = 'scan' | 'parse' | 'assemble' | 'thumbnails';

export interface ImportProgressDetail {
  run: number;
  step: ImportStep;
  filesScanned: number;
  /** Files read so far this run (new or changed since the last import), whatever came of them. */
  filesRead: number;
  /** Files already catalogued with the same size and mtime (not read again). */
  filesUnchanged: number;
  seriesFound: number;
  /** Files not imported so far (listed by import:notImported with their reasons). */
  notImported: number;
  /** Bytes read so far (headers, then pixel data for thumbnails). */
  bytesRead: number;
}

export interface ImportStartResult {
  /** Job id: follow it with `job-progress` events, cancel it with `jobs:cancel`. */
  job: string;
  /** Import run id (see `import:runs`, `import:notImported`). */
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
  /** Files found under the roots (a folder that cannot be listed counts as one). */
  filesScanned: number;
  /** Files read by this run (new or changed) that are now part of a series. */
  filesImported: number;
  /** Files already catalogued with the same size and mtime (not read again). */
  filesUnchanged: number;
  /** Files this run could not use, each listed by import:notImported with its reason. */
  notImported: number;
  /** Catalogued files no longer found under the roots (marked missing; not part of filesScanned). */
  filesMissing: number;
  /** Series created or re-assembled by this run. */
  seriesTouched: number;
  /** Series with files under the roots once the run ended (new, updated or unchanged). */
  seriesFound: number;
  /** Those of them that are usable: voxels loaded and fit for learning (not colour, not missing files ...). */
  seriesUsable: number;
  /** Error message when state is 'failed'. */
  message: string | null;
}

/**
 * A run that ended normally over some folders but found no usable series in them: the UI shows a warning
 * instead of success, `voxelbase import` exits with status 2.
 */
export function foundNothingUsable(run: ImportRun): boolean {
  return run.state === 'done' && run.roots.length > 0 && run.seriesUsable === 0;
}

/**
 * Why a file was not imported. 'non-image' objects (SR, presentation states, RT plans ...) are valid DICOM
 * without pixels; they are listed so nothing disappears silently. 'undecodable': the header was read but the
 * pixel data cannot be decoded; the file is left out of its series (the rest of the series is kept when it
 * still stacks). 'duplicate': the same content as a file at another path, which is the one recorded.
 */
export type NotImportedReason =
  | 'zero-byte'
  | 'not-dicom'
  | 'truncated'
  | 'non-image'
  | 'unreadable'
  | 'corrupt'
  | 'corrupt-gzip'
  | 'unsupported'
  | 'undecodable'
  | 'duplicate';

/** The reasons in words, for the UI and the CLI (an unknown code from a newer server shows as is). */
export const NOT_IMPORTED_REASON_LABELS: Readonly<Record<NotImportedReason, string>> = {
  'zero-byte': 'Empty file',
  'not-dicom': 'Not DICOM or NIfTI',
  truncated: 'Truncated',
  'non-image': 'No pixel data',
  unreadable: 'Unreadable',
  corrupt: 'Corrupt',
  'corrupt-gzip': 'Corrupt gzip',
  unsupported: 'Unsupported encoding',
  undecodable: 'Pixels undecodable',
  duplicate: 'Duplicate copy',
};

/** One file not imported, with its reason. */
export interface NotImportedFile {
  id: number;
  run: number;
  path: string;
  reason: NotImportedReason;
  /** The detail, naming the file (e.g. "pixel data needs 8192 bytes, file has 4000"). */
  message: string;
  /** SOP Class UID for non-image DICOM objects, when known. */
  sopClassUid: string | null;
  at: string;
}

export interface NotImportedPage {
  total: number;
  rows: NotImportedFile[];
}
