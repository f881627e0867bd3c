// What the steps of one import run share (see run-import.ts): the options, the catalogue writer, the
// run's counts and progress reporting, and the work found so far (series UIDs and NIfTI files to
// (re)assemble, headers parsed this run, series touched and waiting for thumbnails).
import type { Db } from '../catalogue/database.js';
import type { JobContext } from '../jobs/job-manager.js';
import type { ImportProgressDetail, ImportStep } from '../../contract/types.js';
import type { JobKinds } from '../../contract/jobs.js';
import { CatalogueWriter } from './catalogue-writer.js';
import { emptyCounts, type RunCounts } from './runs.js';
import type { SeriesFlagValue } from './series-record.js';
import type { SeriesSource } from './series-source.js';
import type { ValidatedRoot } from './validate-paths.js';
import type { ImportWorkerPool } from './worker-pool.js';

export interface ImportOptions {
  db: Db;
  dataDir: string;
  run: number;
  roots: ValidatedRoot[];
  pool: () => ImportWorkerPool;
  thumbnails: boolean;
  /** Also write each touched series as NIfTI into this folder (CLI `--export-nifti`), from the same load. */
  exportNifti?: { dir: string; gzip: boolean };
  job?: Pick<JobContext<JobKinds, 'import'>, 'progress' | 'signal'>;
}

/** A series row written with status 'importing' by this run, to be finished (thumbnails, status). */
export interface TouchedSeries {
  id: number;
  missing: number;
  flags: SeriesFlagValue[];
  usable: boolean;
  source: SeriesSource;
  description: string;
}

export class ImportState {
  readonly db: Db;
  readonly run: number;
  readonly w: CatalogueWriter;
  readonly counts: RunCounts = emptyCounts();
  bytesRead = 0;
  /** Series UIDs (and NIfTI pseudo-UIDs) seen in files parsed this run. */
  readonly seriesUids = new Set<string>();
  /** DICOM series UIDs to (re)assemble. */
  readonly dirtyUids = new Set<string>();
  /** NIfTI files to (re)catalogue. */
  readonly dirtyNifti = new Set<string>();
  /** Header JSON of the files parsed this run, by path (saves reading them back from the catalogue). */
  readonly memHeaders = new Map<string, string>();
  readonly memNifti = new Map<string, string>();

  constructor(readonly o: ImportOptions) {
    this.db = o.db;
    this.run = o.run;
    this.w = new CatalogueWriter(o.db);
  }

  cancelled(): boolean {
    return this.o.job?.signal.aborted === true;
  }

  report(step: ImportStep, current: number, total: number, message?: string): void {
    const detail: ImportProgressDetail = {
      run: this.run,
      step,
      filesScanned: this.counts.filesScanned,
      filesRead: this.counts.filesRead,
      filesUnchanged: this.counts.filesUnchanged,
      seriesFound: this.seriesUids.size,
      notImported: this.counts.notImported,
      bytesRead: this.bytesRead,
    };
    this.o.job?.progress({ step, current, total, message, detail });
  }
}

/** A turn of the event loop (the main thread also serves HTTP/WebSocket calls and IPC). */
export const yieldToLoop = (): Promise<void> => new Promise((r) => setImmediate(r));
