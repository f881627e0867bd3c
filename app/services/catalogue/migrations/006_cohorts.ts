// Migration 6: cohorts (issue 8 item 1): named sets of series, each with the series filter it came from (JSON of
// series:list's filter, NULL for a selection) and its resolved members.
//
// Choices:
// - name_key (NFKC, lower case, white space runs as one space: contract cohortNameKey) is UNIQUE, so names are
//   unique case-insensitively for every script, not only ASCII as COLLATE NOCASE would be.
// - A member keeps the series' UID and volume key beside its id and has no foreign key to series: when a series
//   leaves the catalogue the member stays and is listed as gone, with its UID, instead of vanishing by cascade;
//   a series id reused by SQLite for another series does not match the UID, so it is never taken for the member.
// - Members go with their cohort (ON DELETE CASCADE); WITHOUT ROWID keeps (cohort_id, series_id) as the table.
// - files_missing: a partial index over files marked missing, so that a cohort's verdict ("files missing at the
//   last import") costs one index probe per member instead of a walk over its files.
import type { Migration } from './migration.js';

export const migration: Migration = {
  version: 6,
  name: 'cohorts',
  up(db) {
    db.exec(`
      CREATE TABLE cohorts (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL,
        name_key    TEXT NOT NULL UNIQUE,
        description TEXT NOT NULL DEFAULT '',
        filter      TEXT CHECK (filter IS NULL OR json_valid(filter)),
        created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        resolved_at TEXT                              -- members last resolved from the filter
      ) STRICT;

      CREATE TABLE cohort_members (
        cohort_id  INTEGER NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,
        series_id  INTEGER NOT NULL,                  -- no FK: a series gone from the catalogue stays listed
        series_uid TEXT NOT NULL,
        volume_key TEXT NOT NULL DEFAULT '',
        added_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        PRIMARY KEY (cohort_id, series_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX cohort_members_series ON cohort_members(series_id);
      CREATE INDEX files_missing ON files(series_id, path) WHERE missing_at IS NOT NULL;
    `);
  },
};
