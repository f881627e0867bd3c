// Migration 3 (import pipeline): what the importer needs on top of 002's catalogue.
// - series.plan: the assembly plan (imaging VolumePlan for DICOM, {path, volumes} for NIfTI) as JSON, so
//   the slice viewer, thumbnails and NIfTI export load the volume without re-parsing headers;
//   series.run_id: the import run that last wrote the series (crash recovery redoes 'importing' series
//   of runs whose process died); window centre/width from the header; oblique; not_stacked (JSON list of
//   dcm2niix-style reasons for the whole series UID).
// - import_runs: owner pid (to tell dead runs from live ones), files found missing, a failure message.
// - file_errors: the SOP class of non-image DICOM objects (SR, presentation states ...).
// - files: the SeriesInstanceUID (to re-assemble a series from its stored headers when one file changes),
//   and an index for "parsed but not yet assembled" rows (series_id IS NULL), the rows a crash leaves.
import type { Migration } from './migration.js';

export const migration: Migration = {
  version: 3,
  name: 'import',
  up(db) {
    db.exec(`
      ALTER TABLE series ADD COLUMN plan TEXT CHECK (plan IS NULL OR json_valid(plan));
      ALTER TABLE series ADD COLUMN run_id INTEGER REFERENCES import_runs(id) ON DELETE SET NULL;
      ALTER TABLE series ADD COLUMN window_center REAL;
      ALTER TABLE series ADD COLUMN window_width REAL;
      ALTER TABLE series ADD COLUMN oblique INTEGER NOT NULL DEFAULT 0 CHECK (oblique IN (0,1));
      ALTER TABLE series ADD COLUMN not_stacked TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(not_stacked));
      CREATE INDEX series_run ON series(run_id);

      ALTER TABLE import_runs ADD COLUMN owner_pid INTEGER;
      ALTER TABLE import_runs ADD COLUMN files_missing INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE import_runs ADD COLUMN message TEXT;

      ALTER TABLE file_errors ADD COLUMN sop_class_uid TEXT;

      ALTER TABLE files ADD COLUMN series_uid TEXT;
      CREATE INDEX files_series_uid ON files(series_uid);
      CREATE INDEX files_pending ON files(kind) WHERE series_id IS NULL;
    `);
  },
};
