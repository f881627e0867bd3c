// Step 0 of an import run: recovery. Runs whose process died are marked interrupted; the series they left
// 'importing' and the files they parsed but never assembled are added to this run's work, so a kill -9
// then a re-run leaves no duplicates and nothing half-imported shown as complete.
import type { Db } from '../catalogue/database.js';
import type { ImportState } from './import-state.js';
import { markDeadRuns } from './runs.js';

export function recoverDeadRuns(st: ImportState): void {
  const { db, run } = st;
  const dead = new Set(markDeadRuns(db));
  const ownedByDeadOrNone = (runId: number | null) => runId == null || dead.has(runId) || !isRunning(db, runId) || runId === run;

  const pending = db
    .prepare(
      `SELECT f.path, f.kind, f.series_uid, f.last_run_id FROM files f
       WHERE f.series_id IS NULL AND f.kind IN ('dicom','nifti') AND f.missing_at IS NULL`,
    )
    .all() as { path: string; kind: string; series_uid: string | null; last_run_id: number | null }[];
  for (const p of pending) {
    if (!ownedByDeadOrNone(p.last_run_id)) continue;
    if (p.kind === 'nifti') st.dirtyNifti.add(p.path);
    else if (p.series_uid) st.dirtyUids.add(p.series_uid);
  }
  const halfDone = db
    .prepare(`SELECT id, series_instance_uid AS uid, kind, run_id FROM series WHERE status = 'importing'`)
    .all() as { id: number; uid: string; kind: string; run_id: number | null }[];
  for (const s of halfDone) {
    if (!ownedByDeadOrNone(s.run_id)) continue;
    if (s.kind === 'nifti') st.dirtyNifti.add(s.uid.slice('nifti:'.length));
    else st.dirtyUids.add(s.uid);
  }
}

function isRunning(db: Db, runId: number): boolean {
  const r = db.prepare('SELECT state FROM import_runs WHERE id = ?').get(runId) as { state: string } | undefined;
  return r?.state === 'running';
}
