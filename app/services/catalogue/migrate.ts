// Applies pending migrations in order, each in its own transaction together with its schema_migrations
// row, so a crash leaves the database at a whole version. Refuses a database newer than this build.
import type { Database } from 'better-sqlite3';
import type { Migration } from './migrations/index.js';
import { VoxelbaseError } from '../../contract/errors.js';

export class MigrationError extends VoxelbaseError {}

export interface AppliedMigration {
  version: number;
  name: string;
  applied_at: string;
}

export function appliedMigrations(db: Database): AppliedMigration[] {
  ensureTable(db);
  return db.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all() as AppliedMigration[];
}

export function schemaVersion(db: Database): number {
  ensureTable(db);
  const row = db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}

/** Returns the versions applied by this call. */
export function migrate(db: Database, list: readonly Migration[]): number[] {
  checkList(list);
  ensureTable(db);
  const current = schemaVersion(db);
  const latest = list.length ? list[list.length - 1].version : 0;
  if (current > latest) {
    throw new MigrationError(
      `catalogue database ${db.name} is at schema version ${current}, newer than this Voxelbase (${latest}); update the app`,
    );
  }
  const applied: number[] = [];
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of list) {
    if (m.version <= current) continue;
    const run = db.transaction(() => {
      m.up(db);
      record.run(m.version, m.name, new Date().toISOString());
    });
    try {
      run.immediate();
    } catch (err) {
      throw new MigrationError(`migration ${m.version} (${m.name}) failed on ${db.name}: ${(err as Error).message}`, {
        cause: err,
      });
    }
    applied.push(m.version);
  }
  return applied;
}

function ensureTable(db: Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
}

function checkList(list: readonly Migration[]): void {
  list.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new MigrationError(`migration list out of order: entry ${i} (${m.name}) has version ${m.version}, expected ${i + 1}`);
    }
  });
}
