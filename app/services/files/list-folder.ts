// One folder's entries for the browser: folders first, then files, in natural order ("2" before "10");
// hidden entries (names starting with '.') only when asked for; symlinks followed for their kind and
// marked not browsable when they lead outside the roots, into a system location or nowhere.
import fs from 'node:fs';
import path from 'node:path';
import type { FsEntry, FsListing, FsRoot } from '../../contract/types.js';
import { FsPathError } from './errors.js';
import { isForbidden } from './path-rules.js';
import { rootOf } from './roots.js';

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

export interface ListOptions {
  showHidden: boolean;
  limit: number;
}

/** `real`, `root`: a folder and its root, as resolveInRoots gave them. */
export function listFolder(real: string, root: FsRoot, roots: readonly FsRoot[], o: ListOptions): FsListing {
  let dirents: fs.Dirent[];
  try {
    dirents = fs.readdirSync(real, { withFileTypes: true });
  } catch (err) {
    throw new FsPathError(real, `cannot list the folder (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
  let hidden = 0;
  const entries: FsEntry[] = [];
  for (const d of dirents) {
    if (d.name.startsWith('.') && !o.showHidden) {
      hidden++;
      continue;
    }
    const entry = describe(path.join(real, d.name), d, roots);
    if (entry) entries.push(entry);
  }
  entries.sort((a, b) => (a.kind === b.kind ? collator.compare(a.name, b.name) : a.kind === 'dir' ? -1 : 1));
  const parent = real === root.path ? null : path.dirname(real);
  return { path: real, root: root.path, parent, entries: entries.slice(0, o.limit), hidden, truncated: entries.length > o.limit };
}

/** One entry, or null for what is neither a file nor a folder (sockets, devices, fifos). */
export function describe(p: string, d: fs.Dirent, roots: readonly FsRoot[]): FsEntry | null {
  const name = path.basename(p);
  if (!d.isSymbolicLink()) {
    if (d.isDirectory()) return { name, path: p, kind: 'dir', size: null, browsable: readable(p, true) };
    if (d.isFile()) return { name, path: p, kind: 'file', size: sizeOf(p), browsable: true };
    return null;
  }
  let target: string;
  let st: fs.Stats;
  try {
    target = fs.realpathSync(p);
    st = fs.statSync(target);
  } catch {
    return { name, path: p, kind: 'file', size: null, browsable: false, why: 'a broken link' };
  }
  if (!st.isDirectory() && !st.isFile()) return null;
  const kind = st.isDirectory() ? 'dir' : 'file';
  const size = kind === 'file' ? st.size : null;
  if (isForbidden(target)) return { name, path: p, kind, size, browsable: false, why: `a link to ${target}, a system location` };
  if (!rootOf(target, roots)) return { name, path: p, kind, size, browsable: false, why: `a link to ${target}, outside the folders this browser may show` };
  return { name, path: p, kind, size, browsable: kind === 'file' || readable(target, true) };
}

function readable(p: string, dir: boolean): boolean {
  try {
    fs.accessSync(p, dir ? fs.constants.R_OK | fs.constants.X_OK : fs.constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

function sizeOf(p: string): number | null {
  try {
    return fs.statSync(p).size;
  } catch {
    return null;
  }
}
