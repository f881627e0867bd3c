// Migration 5: embeddings (app/services/embed) and labels (app/services/labels).
// embedding_models: one row per encoder that made embeddings: its identity (`key`: hash of architecture,
// weights, input box and preprocessing settings), where it came from (a run and checkpoint step, or a random
// initialisation), and the settings its inputs were made with. embeddings: one float32 vector per
// (model, series), with the preprocessing cache's source fingerprint it was computed from (a series whose
// fingerprint changed is embedded again). labels: one value per (series, key), from a CSV or a DICOM attribute.
import type { Migration } from './migration.js';

export const migration: Migration = {
  version: 5,
  name: 'embeddings',
  up(db) {
    db.exec(`
      CREATE TABLE embedding_models (
        id            INTEGER PRIMARY KEY,
        key           TEXT NOT NULL UNIQUE,
        name          TEXT NOT NULL,
        source        TEXT NOT NULL CHECK (source IN ('run','random')),
        run_id        INTEGER,                                    -- runs.id when source = 'run'
        step          INTEGER,                                    -- checkpoint step (run) or null
        seed          INTEGER,                                    -- initialisation seed (random)
        resnet        TEXT NOT NULL CHECK (json_valid(resnet)),   -- ResNetConfig
        box           TEXT NOT NULL CHECK (json_valid(box)),      -- input box [d, h, w]
        settings      TEXT NOT NULL CHECK (json_valid(settings)), -- PreprocessSettings
        settings_key  TEXT NOT NULL,
        dims          INTEGER NOT NULL CHECK (dims > 0),
        bn            TEXT NOT NULL DEFAULT 'trained',            -- 'trained' | 'init' | 're-estimated'
        created_at    TEXT NOT NULL
      ) STRICT;
      CREATE INDEX embedding_models_run ON embedding_models(run_id);

      CREATE TABLE embeddings (
        id            INTEGER PRIMARY KEY,                        -- the search index's key: a new vector, a new id
        model_id      INTEGER NOT NULL REFERENCES embedding_models(id) ON DELETE CASCADE,
        series_id     INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
        vector        BLOB NOT NULL,                              -- float32 little endian, dims values
        fingerprint   TEXT NOT NULL,                              -- preprocessing cache source fingerprint
        tiles         INTEGER NOT NULL CHECK (tiles > 0),
        created_at    TEXT NOT NULL,
        UNIQUE (model_id, series_id)
      ) STRICT;
      CREATE INDEX embeddings_series ON embeddings(series_id);

      CREATE TABLE labels (
        series_id     INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
        key           TEXT NOT NULL,
        value         TEXT NOT NULL,
        source        TEXT NOT NULL,                              -- 'csv:<file name>' or 'dicom:<attribute>'
        updated_at    TEXT NOT NULL,
        PRIMARY KEY (series_id, key)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX labels_key ON labels(key);
    `);
  },
};
