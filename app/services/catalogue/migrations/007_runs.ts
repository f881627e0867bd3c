// Migration 7: training runs and their per-step metrics (app/services/runs). A run row holds its whole
// configuration and what it trained on as JSON (contract/types/runs.ts); its checkpoints live in
// <dataDir>/runs/<id>/ and are found on disk (the row only remembers the latest). owner_pid tells a run that a
// live process is training from one whose process died (shown as 'interrupted', resumable).
import type { Migration } from './migration.js';

export const migration: Migration = {
  version: 7,
  name: 'runs',
  up(db) {
    db.exec(`
      CREATE TABLE runs (
        id            INTEGER PRIMARY KEY,
        name          TEXT NOT NULL,
        state         TEXT NOT NULL CHECK (state IN ('running','paused','done','failed','cancelled','interrupted')),
        cohort        TEXT CHECK (cohort IS NULL OR json_valid(cohort)),      -- {id, name, members, fingerprint}
        data          TEXT CHECK (data IS NULL OR json_valid(data)),          -- {seriesIds, skipped, settingsKey, fingerprint}
        config        TEXT NOT NULL CHECK (json_valid(config)),               -- PretrainConfig
        provider      TEXT NOT NULL DEFAULT '',
        hardware      TEXT NOT NULL CHECK (json_valid(hardware)),             -- {cpu, gpu?, threads}
        step          INTEGER NOT NULL DEFAULT 0 CHECK (step >= 0),
        total_steps   INTEGER NOT NULL CHECK (total_steps > 0),
        last_loss     REAL,
        checkpoint    TEXT CHECK (checkpoint IS NULL OR json_valid(checkpoint)), -- {step, file}
        job_id        TEXT,
        owner_pid     INTEGER,
        message       TEXT,
        created_at    TEXT NOT NULL,
        ended_at      TEXT,
        updated_at    TEXT NOT NULL
      ) STRICT;
      CREATE INDEX runs_state ON runs(state);

      CREATE TABLE run_metrics (
        run_id        INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step          INTEGER NOT NULL CHECK (step >= 1),
        loss          REAL NOT NULL,
        collapse_std  REAL,
        lr            REAL NOT NULL,
        tau           REAL NOT NULL,
        step_ms       REAL NOT NULL,
        wait_ms       REAL NOT NULL,
        rss_mb        REAL NOT NULL,
        elapsed       REAL NOT NULL,
        PRIMARY KEY (run_id, step)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
