// Opens the catalogue database (better-sqlite3) with the settings the app relies on and migrates it:
// WAL journal (readers do not block the writer), foreign keys enforced, a busy timeout for concurrent
// processes (CLI + app on one data folder), synchronous=NORMAL (durable at checkpoints; safe with WAL).
// See https://www.sqlite.org/wal.html and https://www.sqlite.org/pragma.html.
import Database from 'better-sqlite3';
import path from 'node:path';
import fs from 'node:fs';
import { migrations as defaultMigrations, type Migration } from './migrations/index.js';
import { migrate } from './migrate.js';

export type Db = Database.Database;

export const CATALOGUE_FILE = 'catalogue.sqlite';

export interface OpenOptions {
  migrations?: readonly Migration[];
  busyTimeoutMs?: number;
  readonly?: boolean;
}

/** Opens (creating if needed) `file` and applies pending migrations. */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file, { readonly: options.readonly ?? false });
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    if (!options.readonly) migrate(db, options.migrations ?? defaultMigrations);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** The catalogue of a data folder. */
export function openCatalogue(dataDir: string, options: OpenOptions = {}): Db {
  return openDatabase(path.join(dataDir, CATALOGUE_FILE), options);
}
