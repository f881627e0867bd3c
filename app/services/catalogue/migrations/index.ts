// The ordered list of schema migrations. Append new ones at the end (never edit or reorder applied ones):
// one file per migration, NNN_name.ts exporting `migration: Migration` with version NNN.
import type { Migration } from './migration.js';
import { migration as m001 } from './001_foundation.js';
import { migration as m002 } from './002_catalogue.js';
import { migration as m003 } from './003_import.js';
import { migration as m004 } from './004_job_states.js';
import { migration as m005 } from './005_embeddings.js';
import { migration as m006 } from './006_cohorts.js';
import { migration as m007 } from './007_runs.js';
import { migration as m008 } from './008_import_outcome.js';
import { migration as m009 } from './009_fs_roots.js';

export const migrations: readonly Migration[] = [m001, m002, m003, m004, m005, m006, m007, m008, m009];

export type { Migration } from './migration.js';
