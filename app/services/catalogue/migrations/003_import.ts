// Migration 3 (import pipeline): what the importer needs on top of 002's catalogue.
// - series.plan: the assembly plan (imaging VolumePlan for DICOM, {path, volumeCount, header} for NIfTI)
//   as JSON, so the slice viewer, thumbnails and NIfTI export load the volume without re-parsing headers;
//   series.run_id: the import run that last wrote the series (crash recovery redoes 'importing' series
//   of runs whose process died).
// - import_runs.owner_pid: the process running the import (to tell dead runs from live ones).
// - files.series_uid: the SeriesInstanceUID, to re-assemble a series from its stored headers when one of
//   its files changes or goes missing; an index for "parsed but not yet assembled" rows (series_id IS
//   NULL), the rows a crash leaves behind.
import type { Migration } from './migration.js';

export const migration: Migration = {
  version: 3,
  name: 'import',
  up(db) {
    db.exec(`
      ALTER TABLE series ADD COLUMN plan TEXT CHECK (plan IS NULL OR json_valid(plan));
      ALTER TABLE series ADD COLUMN run_id INTEGER REFERENCES import_runs(id) ON DELETE SET NULL;
      CREATE INDEX series_run ON series(run_id);

      ALTER TABLE import_runs ADD COLUMN owner_pid INTEGER;

      ALTER TABLE files ADD COLUMN series_uid TEXT;
      CREATE INDEX files_series_uid ON files(series_uid);
      CREATE INDEX files_pending ON files(kind) WHERE series_id IS NULL;
    `);
  },
};
