// Migration 9 (#12 item 5, paths in web mode): the folders the user added to the web mode's folder browser
// (fs:addRoot), beside the home folder and the folders imported before.
import type { Migration } from './migration.js';

export const migration: Migration = {
  version: 9,
  name: 'fs-roots',
  up(db) {
    db.exec(`
      CREATE TABLE fs_roots (
        path     TEXT PRIMARY KEY,   -- absolute real path, checked when added
        added_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
