// The shape of one schema migration. Each lives in its own numbered file (NNN_name.ts) and is listed,
// in order, in ./index.ts. `up` runs inside a transaction together with its schema_migrations row.
import type { Database } from 'better-sqlite3';

export interface Migration {
  /** Strictly increasing, starting at 1; equal to the file's number. */
  readonly version: number;
  readonly name: string;
  up(db: Database): void;
}
