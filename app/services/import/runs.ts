// Import runs: creating one, telling live runs from dead ones (owner process gone, or ended in this
// process without finishing), closing one with its counts, and listing them for import:runs.
import { pidAlive } from '../../platform/pid-alive.js';
import type { Db } from '../catalogue/database.js';
import type { ImportRun, ImportRunState } from '../../contract/types.js';

/** Runs this process is executing right now. */
const activeRuns = new Set<number>();

export function createRun(db: Db, roots: string[], jobId: string | null): number {
  const info = db
    .prepare(`INSERT INTO import_runs (job_id, roots, state, started_at, owner_pid) VALUES (?, ?, 'running', ?, ?)`)
    .run(jobId, JSON.stringify(roots), new Date().toISOString(), process.pid);
  const id = Number(info.lastInsertRowid);
  activeRuns.add(id);
  return id;
}

export function setRunJob(db: Db, run: number, jobId: string): void {
  db.prepare('UPDATE import_runs SET job_id = ? WHERE id = ?').run(jobId, run);
}

/** Marks 'running' runs whose process is gone (or that this process no longer runs) as 'interrupted'. */
export function markDeadRuns(db: Db, isAlive: (pid: number) => boolean = pidAlive): number[] {
  const rows = db.prepare(`SELECT id, owner_pid FROM import_runs WHERE state = 'running'`).all() as {
    id: number;
    owner_pid: number | null;
  }[];
  const dead: number[] = [];
  for (const r of rows) {
    const live =
      r.owner_pid === process.pid ? activeRuns.has(r.id) : r.owner_pid != null && isAlive(r.owner_pid);
    if (!live) dead.push(r.id);
  }
  const upd = db.prepare(
    `UPDATE import_runs SET state = 'interrupted', ended_at = ?, message = 'the process running this import ended before it finished' WHERE id = ?`,
  );
  const when = new Date().toISOString();
  for (const id of dead) upd.run(when, id);
  return dead;
}

/** Ids of runs that are still running in a live process (their series must not be touched). */
export function liveRunIds(db: Db): Set<number> {
  const rows = db.prepare(`SELECT id FROM import_runs WHERE state = 'running'`).all() as { id: number }[];
  return new Set(rows.map((r) => r.id));
}

/**
 * A run's tallies. Every file found is counted once in exactly one of filesImported, filesUnchanged and
 * notImported (a file read and imported that later turns out undecodable or a duplicate copy moves from
 * filesImported to notImported), so a finished run has filesScanned = their sum.
 */
export interface RunCounts {
  filesScanned: number;
  /** Files read this run (new or changed), whatever came of them: the progress of the parse step. */
  filesRead: number;
  filesImported: number;
  filesUnchanged: number;
  notImported: number;
  filesMissing: number;
  seriesAdded: number;
  seriesUpdated: number;
}

export function emptyCounts(): RunCounts {
  return { filesScanned: 0, filesRead: 0, filesImported: 0, filesUnchanged: 0, notImported: 0, filesMissing: 0, seriesAdded: 0, seriesUpdated: 0 };
}

/**
 * Series with present files under the roots (a duplicate copy or a left-out file counts for the series it
 * is listed with), and how many of them are usable (loaded, fit for learning).
 */
export function seriesUnderRoots(db: Db, roots: readonly string[], sep = '/'): { found: number; usable: number } {
  if (!roots.length) return { found: 0, usable: 0 };
  const under: string[] = [];
  const params: Record<string, string> = {};
  roots.forEach((root, i) => {
    const base = root.endsWith(sep) ? root.slice(0, -1) : root;
    params[`r${i}`] = base;
    params[`lo${i}`] = base + sep;
    params[`hi${i}`] = base + String.fromCharCode(sep.charCodeAt(0) + 1);
    under.push(`f.path = @r${i} OR (f.path >= @lo${i} AND f.path < @hi${i})`);
  });
  const row = db
    .prepare(
      `SELECT count(*) AS found, coalesce(sum(usable), 0) AS usable FROM (
         SELECT DISTINCT s.id, (s.usable = 1 AND s.status IN ('complete', 'missing-files')) AS usable
         FROM files f JOIN series s ON s.id = f.series_id
         WHERE f.missing_at IS NULL AND (${under.join(' OR ')}))`,
    )
    .get(params) as { found: number; usable: number };
  return { found: row.found, usable: row.usable };
}

export function finishRun(db: Db, run: number, state: ImportRunState, counts: RunCounts, message: string | null, roots: readonly string[] = []): void {
  const series = state === 'done' ? seriesUnderRoots(db, roots) : { found: 0, usable: 0 };
  db.prepare(
    `UPDATE import_runs SET state = ?, ended_at = ?, files_scanned = ?, files_parsed = ?, files_imported = ?,
       files_unchanged = ?, errors = ?, files_missing = ?, series_touched = ?, series_found = ?, series_usable = ?,
       message = ? WHERE id = ?`,
  ).run(
    state,
    new Date().toISOString(),
    counts.filesScanned,
    counts.filesRead,
    counts.filesImported,
    counts.filesUnchanged,
    counts.notImported,
    counts.filesMissing,
    counts.seriesAdded + counts.seriesUpdated,
    series.found,
    series.usable,
    message,
    run,
  );
  activeRuns.delete(run);
}

interface RunRow {
  id: number;
  state: ImportRunState;
  roots: string;
  started_at: string;
  ended_at: string | null;
  files_scanned: number;
  files_imported: number;
  files_unchanged: number;
  errors: number;
  files_missing: number;
  series_touched: number;
  series_found: number;
  series_usable: number;
  message: string | null;
}

export function runFromRow(r: RunRow): ImportRun {
  return {
    id: r.id,
    state: r.state,
    roots: JSON.parse(r.roots) as string[],
    startedAt: r.started_at,
    endedAt: r.ended_at,
    filesScanned: r.files_scanned,
    filesImported: r.files_imported,
    filesUnchanged: r.files_unchanged,
    notImported: r.errors,
    filesMissing: r.files_missing,
    seriesTouched: r.series_touched,
    seriesFound: r.series_found,
    seriesUsable: r.series_usable,
    message: r.message,
  };
}

export function getRun(db: Db, id: number): ImportRun | undefined {
  const r = db.prepare('SELECT * FROM import_runs WHERE id = ?').get(id) as RunRow | undefined;
  return r ? runFromRow(r) : undefined;
}

/** The folders of finished imports, newest first, each once (the folder browser offers them as roots). */
export function importedRoots(db: Db, runs = 200): string[] {
  const rows = db.prepare(`SELECT roots FROM import_runs WHERE state = 'done' ORDER BY id DESC LIMIT ?`).pluck().all(runs) as string[];
  return [...new Set(rows.flatMap((json) => JSON.parse(json) as string[]))];
}

export function listRuns(db: Db, limit: number): ImportRun[] {
  return (db.prepare('SELECT * FROM import_runs ORDER BY id DESC LIMIT ?').all(limit) as RunRow[]).map(runFromRow);
}
