// Migration 8 (#12, honest import results): the counts an import run reports add up and say whether it
// found anything usable.
// - import_runs.files_imported: files read by the run that ended up in a series (files_parsed keeps the
//   files read, whatever came of them; errors keeps the files not imported), so that
//   files_scanned = files_imported + files_unchanged + errors for a finished run;
// - import_runs.series_found / series_usable: series with files under the run's roots when it ended, and
//   how many of them are usable (a run over folders with none is reported as a warning, CLI exit status 2).
import type { Migration } from './migration.js';

export const migration: Migration = {
  version: 8,
  name: 'import-outcome',
  up(db) {
    db.exec(`
      ALTER TABLE import_runs ADD COLUMN files_imported INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE import_runs ADD COLUMN series_found INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE import_runs ADD COLUMN series_usable INTEGER NOT NULL DEFAULT 0;
    `);
  },
};
