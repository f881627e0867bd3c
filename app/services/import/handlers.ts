// import:* calls. import:start validates the paths (never trusting the client), records a run and starts an
// 'import' job in the 'import' queue (imports run one after another; a second one waits as 'queued'). The worker
// pool belongs to the service context and closes with it. Recovery of work that killed imports left half-done is
// started by the composition root (services/index.ts), not as a side effect of building these handlers.
import type { DomainHandlers } from '../handlers.js';
import type { ServiceContext } from '../context.js';
import type { NotImportedReason, NotImportedFile } from '../../contract/types.js';
import { validateImportPaths, type ValidatedRoot } from './validate-paths.js';
import { createRun, listRuns, markDeadRuns, setRunJob } from './runs.js';
import { runImport } from './run-import.js';
import { ImportWorkerPool } from './worker-pool.js';

/** The service context's import worker pool (started on first use, closed with the services). */
export function importPool(ctx: ServiceContext): ImportWorkerPool {
  return ctx.shared('import:worker-pool', () => new ImportWorkerPool(), (p) => p.close());
}

/** Starts an import job for already-validated roots; returns ids at once. */
export function startImport(
  ctx: ServiceContext,
  roots: ValidatedRoot[],
  thumbnails: boolean,
  exportNifti?: { dir: string; gzip: boolean },
): { job: string; run: number } {
  const run = createRun(ctx.db, roots.map((r) => r.path), null);
  const snap = ctx.jobs.start(
    'import',
    (job) =>
      runImport({
        db: ctx.db,
        dataDir: ctx.dataDir,
        run,
        roots,
        pool: () => importPool(ctx),
        thumbnails,
        exportNifti,
        job,
      }),
    {
      queue: 'import',
      step: 'scan',
      detail: { run, step: 'scan', filesScanned: 0, filesRead: 0, filesUnchanged: 0, seriesFound: 0, notImported: 0, bytesRead: 0 },
    },
  );
  setRunJob(ctx.db, run, snap.job);
  return { job: snap.job, run };
}

/** Redoes what dead imports left half-done (no scan); returns the job id, or null when nothing is pending. */
export function recoverIfNeeded(ctx: ServiceContext): string | null {
  markDeadRuns(ctx.db);
  const row = ctx.db
    .prepare(
      `SELECT
         (SELECT count(*) FROM series s WHERE s.status = 'importing'
            AND NOT EXISTS (SELECT 1 FROM import_runs r WHERE r.id = s.run_id AND r.state = 'running')) AS s,
         (SELECT count(*) FROM files f WHERE f.series_id IS NULL AND f.kind IN ('dicom','nifti') AND f.missing_at IS NULL
            AND NOT EXISTS (SELECT 1 FROM import_runs r WHERE r.id = f.last_run_id AND r.state = 'running')) AS f`,
    )
    .get() as { s: number; f: number };
  if (!row.s && !row.f) return null;
  return startImport(ctx, [], true).job;
}

interface ErrorRowDb {
  id: number;
  run_id: number;
  path: string;
  reason: string;
  message: string;
  sop_class_uid: string | null;
  at: string;
}

export function notImportedFromRow(r: ErrorRowDb): NotImportedFile {
  return {
    id: r.id,
    run: r.run_id,
    path: r.path,
    reason: r.reason as NotImportedReason,
    message: r.message,
    sopClassUid: r.sop_class_uid,
    at: r.at,
  };
}

/** The files of one series that were not imported (left out), newest first. */
export function seriesNotImported(ctx: Pick<ServiceContext, 'db'>, seriesId: number, limit = 500): NotImportedFile[] {
  const rows = ctx.db
    .prepare(
      // The latest reason of each file of the series that is not imported now (kind 'other'): a file
      // imported since keeps no stale entry.
      `SELECT e.* FROM file_errors e
         WHERE e.id IN (SELECT max(e2.id) FROM file_errors e2 JOIN files f ON f.path = e2.path
                        WHERE f.series_id = ? AND f.kind = 'other' GROUP BY e2.path)
         ORDER BY e.id DESC LIMIT ?`,
    )
    .all(seriesId, limit) as ErrorRowDb[];
  return rows.map(notImportedFromRow);
}

export function importHandlers(ctx: ServiceContext): DomainHandlers<'import:start' | 'import:runs' | 'import:notImported'> {
  return {
    'import:start': ({ paths, thumbnails }) => startImport(ctx, validateImportPaths(paths, ctx.dataDir), thumbnails),
    'import:runs': ({ limit }) => listRuns(ctx.db, limit),
    'import:notImported': ({ run, offset, limit }) => {
      const where = run === undefined ? '' : 'WHERE run_id = @run';
      const total = (ctx.db.prepare(`SELECT count(*) AS n FROM file_errors ${where}`).get({ run }) as { n: number }).n;
      const rows = ctx.db
        .prepare(`SELECT * FROM file_errors ${where} ORDER BY id DESC LIMIT @limit OFFSET @offset`)
        .all({ run, limit, offset }) as ErrorRowDb[];
      return { total, rows: rows.map(notImportedFromRow) };
    },
  };
}
