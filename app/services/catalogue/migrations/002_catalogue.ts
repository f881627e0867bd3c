// Migration 2: the catalogue (issue 3 item 3): patients / studies / series, the files they come from,
// import runs and per-file errors. The import service extends it with migrations 003+.
//
// Choices:
// - UIDs are UNIQUE where DICOM makes them unique (StudyInstanceUID; SeriesInstanceUID + volume_key, the
//   key of one stacked volume when dcm2niix's rules split a series). A NIfTI file has no UIDs: the importer
//   uses 'nifti:<absolute path>' so re-importing adds nothing twice; `kind` tells them apart.
// - `series.status` (contract SeriesStatus) is 'importing' while its rows are being written and becomes
//   'complete' only in the transaction that finishes it; after a kill -9 a series stays 'importing' and is
//   never shown as complete (the next run redoes it).
// - `flags` is JSON text: [{"code":"gantry-tilt","reason":"..."}, ...] (contract SeriesFlag);
//   `not_stacked` a JSON array of dcm2niix-style "not stacked: ..." reasons.
// - Files are keyed by absolute path with size + mtime to notice changes; series_id is NULL for files that
//   belong to no series (errors, non-image DICOM); missing_at marks files gone from disk on rescan.
// - ON DELETE CASCADE from patients down to files; file_errors cascade with their import run.
import type { Migration } from './migration.js';

export const migration: Migration = {
  version: 2,
  name: 'catalogue',
  up(db) {
    db.exec(`
      CREATE TABLE patients (
        id          INTEGER PRIMARY KEY,
        patient_key TEXT NOT NULL UNIQUE,          -- PatientID + '|' + IssuerOfPatientID, or a synthetic key
        patient_id  TEXT,
        name        TEXT,
        birth_date  TEXT,                          -- ISO yyyy-mm-dd
        sex         TEXT
      ) STRICT;

      CREATE TABLE studies (
        id                 INTEGER PRIMARY KEY,
        patient_id         INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
        study_instance_uid TEXT NOT NULL UNIQUE,
        study_date         TEXT,                   -- ISO yyyy-mm-dd
        study_time         TEXT,
        description        TEXT,
        accession_number   TEXT,
        study_id           TEXT
      ) STRICT;
      CREATE INDEX studies_patient ON studies(patient_id);
      CREATE INDEX studies_date ON studies(study_date);

      CREATE TABLE series (
        id                  INTEGER PRIMARY KEY,
        study_id            INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
        series_instance_uid TEXT NOT NULL,
        volume_key          TEXT NOT NULL DEFAULT '',     -- which volume of a split series; '' when not split
        kind                TEXT NOT NULL CHECK (kind IN ('dicom','nifti')),
        status              TEXT NOT NULL DEFAULT 'importing'
                              CHECK (status IN ('importing','complete','missing-files','failed')),
        modality            TEXT,
        body_part           TEXT,
        description         TEXT,
        protocol_name       TEXT,
        series_number       INTEGER,
        series_date         TEXT,                  -- ISO yyyy-mm-dd
        series_time         TEXT,
        manufacturer        TEXT,
        manufacturer_model  TEXT,
        dim_x               INTEGER,               -- columns
        dim_y               INTEGER,               -- rows
        dim_z               INTEGER,               -- slices after stacking
        dim_t               INTEGER NOT NULL DEFAULT 1,   -- volumes (4-D)
        spacing_x           REAL,                  -- mm, from PixelSpacing / pixdim
        spacing_y           REAL,
        spacing_z           REAL,                  -- mm, from positions (never SliceThickness)
        slice_thickness     REAL,                  -- as stated in the header, for display only
        orientation         TEXT,                  -- e.g. 'LPS' axis codes of the affine
        oblique             INTEGER NOT NULL DEFAULT 0 CHECK (oblique IN (0,1)),
        affine              TEXT CHECK (affine IS NULL OR json_valid(affine)),  -- 4x4 row-major, RAS mm
        window_center       REAL,
        window_width        REAL,
        slice_count         INTEGER NOT NULL DEFAULT 0,
        file_count          INTEGER NOT NULL DEFAULT 0,
        transfer_syntaxes   TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(transfer_syntaxes)),
        photometric         TEXT,
        usable              INTEGER NOT NULL DEFAULT 1 CHECK (usable IN (0,1)),   -- for learning
        unusable_reason     TEXT,
        flags               TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(flags)),        -- [{code, reason}]
        not_stacked         TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(not_stacked)),  -- reasons
        thumbnail           TEXT,                  -- cache path, relative to the data folder
        created_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        updated_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        UNIQUE (series_instance_uid, volume_key)
      ) STRICT;
      CREATE INDEX series_study ON series(study_id);
      CREATE INDEX series_status ON series(status);
      CREATE INDEX series_modality ON series(modality);
      CREATE INDEX series_body_part ON series(body_part);
      CREATE INDEX series_description ON series(description COLLATE NOCASE);
      CREATE INDEX series_date ON series(series_date);
      CREATE INDEX series_dims ON series(dim_x, dim_y, dim_z);
      CREATE INDEX series_spacing ON series(spacing_x, spacing_y, spacing_z);

      CREATE TABLE import_runs (
        id           INTEGER PRIMARY KEY,
        job_id       TEXT,                         -- the job that ran it (jobs.id), if any
        roots        TEXT NOT NULL CHECK (json_valid(roots)),   -- JSON array of folders
        state        TEXT NOT NULL DEFAULT 'running'
                       CHECK (state IN ('running','done','failed','cancelled','interrupted')),
        started_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        ended_at     TEXT,
        files_scanned   INTEGER NOT NULL DEFAULT 0,
        files_parsed    INTEGER NOT NULL DEFAULT 0,
        files_unchanged INTEGER NOT NULL DEFAULT 0,  -- same size + mtime as catalogued: not read again
        files_missing   INTEGER NOT NULL DEFAULT 0,  -- catalogued but gone from disk
        series_touched  INTEGER NOT NULL DEFAULT 0,
        errors          INTEGER NOT NULL DEFAULT 0,
        message         TEXT                         -- error message when failed
      ) STRICT;

      CREATE TABLE files (
        id               INTEGER PRIMARY KEY,
        path             TEXT NOT NULL UNIQUE,     -- absolute
        size             INTEGER NOT NULL,
        mtime_ms         INTEGER NOT NULL,
        kind             TEXT NOT NULL DEFAULT 'dicom' CHECK (kind IN ('dicom','nifti','other')),
        sop_instance_uid TEXT,
        sop_class_uid    TEXT,
        transfer_syntax  TEXT,
        series_id        INTEGER REFERENCES series(id) ON DELETE CASCADE,
        instance_number  INTEGER,
        frame_count      INTEGER NOT NULL DEFAULT 1,
        header           TEXT CHECK (header IS NULL OR json_valid(header)),  -- parsed header needed to assemble
        last_run_id      INTEGER REFERENCES import_runs(id) ON DELETE SET NULL,
        missing_at       TEXT                      -- set when a rescan no longer finds it
      ) STRICT;
      CREATE INDEX files_series ON files(series_id);
      CREATE INDEX files_sop ON files(sop_instance_uid);

      CREATE TABLE file_errors (
        id       INTEGER PRIMARY KEY,
        run_id   INTEGER NOT NULL REFERENCES import_runs(id) ON DELETE CASCADE,
        path     TEXT NOT NULL,
        reason   TEXT NOT NULL,                    -- contract FileErrorReason: 'not-dicom', 'truncated' ...
        message  TEXT NOT NULL,                    -- detail naming the file
        sop_class_uid TEXT,                        -- for non-image DICOM objects
        at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      ) STRICT;
      CREATE INDEX file_errors_run ON file_errors(run_id);
      CREATE INDEX file_errors_path ON file_errors(path);
    `);
  },
};
