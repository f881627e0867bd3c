// Migration 1: app metadata and persisted job snapshots (so a renderer
// reload or a new client can re-attach to running jobs, and jobs left running by a crash are found).
import type { Migration } from './migration.js';

export const migration: Migration = {
  version: 1,
  name: 'foundation',
  up(db) {
    db.exec(`
      CREATE TABLE app_meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE jobs (
        id         TEXT PRIMARY KEY,
        kind       TEXT NOT NULL,
        state      TEXT NOT NULL CHECK (state IN ('queued','running','done','failed','cancelled')),
        snapshot   TEXT NOT NULL CHECK (json_valid(snapshot)),   -- JobSnapshot as JSON
        owner_pid  INTEGER NOT NULL,                              -- process running it
        started_at TEXT NOT NULL,
        ended_at   TEXT,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX jobs_state ON jobs(state);
      CREATE INDEX jobs_started ON jobs(started_at DESC);
    `);
  },
};
