// Migration 4: job states 'pausing', 'paused' and 'cancelling' (contract/jobs.ts). SQLite cannot alter a CHECK
// constraint, so the jobs table is rebuilt with the new list and its rows copied (SQLite's documented
// 12-step table change, https://www.sqlite.org/lang_altertable.html#otheralter).
import type { Migration } from './migration.js';

export const migration: Migration = {
  version: 4,
  name: 'job-states',
  up(db) {
    db.exec(`
      CREATE TABLE jobs_new (
        id         TEXT PRIMARY KEY,
        kind       TEXT NOT NULL,
        state      TEXT NOT NULL CHECK (state IN ('queued','running','pausing','paused','cancelling','done','failed','cancelled')),
        snapshot   TEXT NOT NULL CHECK (json_valid(snapshot)),   -- JobSnapshot as JSON
        owner_pid  INTEGER NOT NULL,                              -- process running it
        started_at TEXT NOT NULL,
        ended_at   TEXT,
        updated_at TEXT NOT NULL
      ) STRICT;
      INSERT INTO jobs_new SELECT id, kind, state, snapshot, owner_pid, started_at, ended_at, updated_at FROM jobs;
      DROP TABLE jobs;
      ALTER TABLE jobs_new RENAME TO jobs;
      CREATE INDEX jobs_state ON jobs(state);
      CREATE INDEX jobs_started ON jobs(started_at DESC);
    `);
  },
};
