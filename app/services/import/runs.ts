// Import runs: creating one, telling live runs from dead ones (owner process gone, or ended in this
// process without finishing), closing one with its counts, and listing them for import:runs.
import type { Db } from '../catalogue/database.js';
import type { ImportRun, ImportRunState } from '../../contract/types.js';

/** Runs this process is executing right now. */
const activeRuns = new Set<number>();

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

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

export interface RunCounts {
  filesScanned: number;
  filesParsed: number;
  filesUnchanged: number;
  filesMissing: number;
  errors: number;
  seriesAdded: number;
  seriesUpdated: number;
}

export function finishRun(db: Db, run: number, state: ImportRunState, counts: RunCounts, message: string | null): void {
  db.prepare(
    `UPDATE import_runs SET state = ?, ended_at = ?, files_scanned = ?, files_parsed = ?, files_unchanged = ?,
       errors = ?, files_missing = ?, series_touched = ?, message = ? WHERE id = ?`,
  ).run(
    state,
    new Date().toISOString(),
    counts.filesScanned,
    counts.filesParsed,
    counts.filesUnchanged,
    counts.errors,
    counts.filesMissing,
    counts.seriesAdded + counts.seriesUpdated,
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
  files_parsed: number;
  files_unchanged: number;
  errors: number;
  files_missing: number;
  series_touched: number;
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
    filesParsed: r.files_parsed,
    filesUnchanged: r.files_unchanged,
    filesMissing: r.files_missing,
    seriesTouched: r.series_touched,
    errors: r.errors,
    message: r.message,
  };
}

export function getRun(db: Db, id: number): ImportRun | undefined {
  const r = db.prepare('SELECT * FROM import_runs WHERE id = ?').get(id) as RunRow | undefined;
  return r ? runFromRow(r) : undefined;
}

export function listRuns(db: Db, limit: number): ImportRun[] {
  return (db.prepare('SELECT * FROM import_runs ORDER BY id DESC LIMIT ?').all(limit) as RunRow[]).map(runFromRow);
}
