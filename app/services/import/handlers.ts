// import:* calls. import:start validates the paths (never trusting the client), records a run and
// starts an 'import' job; imports in one process run one after another (a second waits for the first).
// On service start, series and files that a killed import left half-done are redone by a recovery job.
import type { DomainHandlers } from '../handlers.js';
import type { ServiceContext } from '../context.js';
import type { Db } from '../catalogue/database.js';
import type { FileErrorReason, FileErrorRow, ImportRun } from '../../contract/types.js';
import { validateImportPaths, type ValidatedRoot } from './validate-paths.js';
import { createRun, listRuns, markDeadRuns, setRunJob } from './runs.js';
import { runImport } from './run-import.js';
import { ImportWorkerPool } from './worker-pool.js';

const pools = new WeakMap<Db, ImportWorkerPool>();
const queues = new WeakMap<Db, Promise<unknown>>();

export function poolFor(db: Db): ImportWorkerPool {
  let p = pools.get(db);
  if (!p) pools.set(db, (p = new ImportWorkerPool()));
  return p;
}

/** Releases the worker threads of a catalogue's pool (tests, shutdown). */
export async function closeImportPool(db: Db): Promise<void> {
  const p = pools.get(db);
  pools.delete(db);
  await p?.close();
}

/** Starts an import job for already-validated roots; resolves nothing, returns ids at once. */
export function startImport(
  ctx: ServiceContext,
  roots: ValidatedRoot[],
  thumbnails: boolean,
  exportNifti?: { dir: string; gzip: boolean },
): { job: string; run: number } {
  const run = createRun(ctx.db, roots.map((r) => r.path), null);
  const prev = queues.get(ctx.db) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((r) => (release = r));
  queues.set(ctx.db, prev.then(() => mine));
  const snap = ctx.jobs.start<ImportRun>(
    'import',
    async (job) => {
      try {
        await prev.catch(() => undefined);
        return await runImport({
          db: ctx.db,
          dataDir: ctx.dataDir,
          run,
          roots,
          pool: () => poolFor(ctx.db),
          thumbnails,
          exportNifti,
          job,
        });
      } finally {
        release();
      }
    },
    { step: 'scan', detail: { run } },
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

export function errorFromRow(r: ErrorRowDb): FileErrorRow {
  return {
    id: r.id,
    run: r.run_id,
    path: r.path,
    reason: r.reason as FileErrorReason,
    message: r.message,
    sopClassUid: r.sop_class_uid,
    at: r.at,
  };
}

export function importHandlers(ctx: ServiceContext): DomainHandlers<'import:start' | 'import:runs' | 'import:errors'> {
  // Redo half-finished work of imports killed earlier (never fatal to start-up).
  queueMicrotask(() => {
    try {
      recoverIfNeeded(ctx);
    } catch (err) {
      console.error('import recovery could not start:', (err as Error).message);
    }
  });
  return {
    'import:start': ({ paths, thumbnails }) => startImport(ctx, validateImportPaths(paths, ctx.dataDir), thumbnails),
    'import:runs': ({ limit }) => listRuns(ctx.db, limit),
    'import:errors': ({ run, offset, limit }) => {
      const where = run === undefined ? '' : 'WHERE run_id = @run';
      const total = (ctx.db.prepare(`SELECT count(*) AS n FROM file_errors ${where}`).get({ run }) as { n: number }).n;
      const rows = ctx.db
        .prepare(`SELECT * FROM file_errors ${where} ORDER BY id DESC LIMIT @limit OFFSET @offset`)
        .all({ run, limit, offset }) as ErrorRowDb[];
      return { total, rows: rows.map(errorFromRow) };
    },
  };
}
