// The folder browser's roots: the home folder of the user running Voxelbase, the folders the user added
// (table fs_roots, migration 009), and the folders imported before (given by the import domain through the
// composition root: `importedRoots`).
// Each is kept only while it still resolves to a readable folder outside the system locations; stored as
// real paths, so a symlinked root and its target are one root.
import os from 'node:os';
import path from 'node:path';
import type { Db } from '../catalogue/database.js';
import type { FsRoot } from '../../contract/types.js';
import { FsPathError } from './errors.js';
import { inspectPath } from './inspect-path.js';
import { isInside, normaliseInput } from './path-rules.js';

export interface RootsContext {
  db: Db;
  dataDir: string;
  /** The home folder (os.homedir() unless a test says otherwise). */
  home?: string;
  /** Folders imported before, newest first. */
  importedRoots?: () => string[];
}

export function homeOf(ctx: Pick<RootsContext, 'home'>): string {
  return ctx.home ?? os.homedir();
}

/** The roots, home first, then added, then imported; a folder listed once (its first kind wins). */
export function browseRoots(ctx: RootsContext): FsRoot[] {
  const out: FsRoot[] = [];
  const seen = new Set<string>();
  const push = (p: string, kind: FsRoot['kind']) => {
    const found = inspectPath(p, ctx.dataDir);
    if (!found.ok || found.kind !== 'dir' || seen.has(found.real)) return;
    seen.add(found.real);
    out.push({ path: found.real, label: kind === 'home' ? 'Home' : path.basename(found.real) || found.real, kind });
  };
  push(homeOf(ctx), 'home');
  for (const r of ctx.db.prepare('SELECT path FROM fs_roots ORDER BY added_at, path').pluck().all() as string[]) push(r, 'added');
  for (const r of ctx.importedRoots?.() ?? []) push(r, 'imported');
  return out;
}

/** Adds a folder the user typed (checked: an existing, readable folder, not a system location, not `/`). */
export function addRoot(ctx: RootsContext, input: string): FsRoot[] {
  const abs = normaliseInput(input, homeOf(ctx));
  const found = inspectPath(abs, ctx.dataDir);
  if (!found.ok) throw new FsPathError(input, found.reason);
  if (found.kind !== 'dir') throw new FsPathError(input, 'not a folder');
  if (found.real === path.parse(found.real).root) throw new FsPathError(input, 'the whole file system cannot be a root; add the folder that holds the studies');
  ctx.db.prepare('INSERT INTO fs_roots (path, added_at) VALUES (?, ?) ON CONFLICT(path) DO NOTHING').run(found.real, new Date().toISOString());
  return browseRoots(ctx);
}

/** Removes a folder the user added (home and imported folders are not removable). */
export function removeRoot(ctx: RootsContext, input: string): FsRoot[] {
  const abs = normaliseInput(input, homeOf(ctx));
  const found = inspectPath(abs);
  const real = found.ok ? found.real : abs;
  const n = ctx.db.prepare('DELETE FROM fs_roots WHERE path = ? OR path = ?').run(real, abs).changes;
  if (!n) throw new FsPathError(input, 'not a folder added to the browser');
  return browseRoots(ctx);
}

/** The root a real path lies in (the deepest one), or null. */
export function rootOf(real: string, roots: readonly FsRoot[]): FsRoot | null {
  let best: FsRoot | null = null;
  for (const r of roots) if (isInside(real, r.path) && (!best || r.path.length > best.path.length)) best = r;
  return best;
}
