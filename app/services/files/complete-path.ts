// Completions of a path being typed: the folder typed so far (`~` expanded, relative to the home folder),
// resolved within the roots, and its entries whose names start with the last part typed (case-sensitive
// first, then case-insensitive), folders first. Outside the roots, or in a folder that does not exist,
// there is nothing to complete (an empty list, not an error: the user is still typing).
import fs from 'node:fs';
import path from 'node:path';
import type { FsCompletion, FsEntry, FsRoot } from '../../contract/types.js';
import { describe } from './list-folder.js';
import { normaliseInput } from './path-rules.js';
import { resolveInRoots } from './resolve-in-roots.js';

export function completePath(text: string, roots: readonly FsRoot[], home: string, limit: number, dataDir?: string): FsCompletion {
  const typed = text.trim();
  const expanded = typed ? normaliseInput(typed, home) : home;
  // "dir/" (or "~", "~/", "") completes inside dir; "dir/par" completes "par" inside dir (the last part
  // is taken as typed: "dir/." lists the hidden entries, it does not mean dir itself).
  const raw = typed === '' || typed === '~' ? `~${path.sep}` : typed;
  // Joined as text, not with path.join (which would drop a trailing "." or "..").
  let abs = raw.startsWith(`~${path.sep}`) ? `${home}${raw.slice(1)}` : raw;
  if (!path.isAbsolute(abs)) abs = `${home}${path.sep}${abs}`;
  const cut = abs.lastIndexOf(path.sep);
  const folder = path.resolve(abs.slice(0, cut) || path.sep);
  const part = abs.slice(cut + 1);
  let real: string;
  try {
    const r = resolveInRoots(folder, roots, home, dataDir);
    if (r.kind !== 'dir') return { expanded, entries: [] };
    real = r.real;
  } catch {
    return { expanded, entries: [] };
  }
  let dirents: fs.Dirent[];
  try {
    dirents = fs.readdirSync(real, { withFileTypes: true });
  } catch {
    return { expanded, entries: [] };
  }
  const lower = part.toLowerCase();
  const exact: FsEntry[] = [];
  const loose: FsEntry[] = [];
  for (const d of dirents) {
    if (d.name.startsWith('.') && !part.startsWith('.')) continue;
    const bucket = d.name.startsWith(part) ? exact : d.name.toLowerCase().startsWith(lower) ? loose : null;
    if (!bucket) continue;
    // Entries keep the folder as typed (not its real path), so the completion continues what the user wrote.
    const e = describe(path.join(folder, d.name), d, roots);
    if (e) bucket.push(e);
  }
  const order = (a: FsEntry, b: FsEntry) => (a.kind === b.kind ? a.name.localeCompare(b.name, 'en', { numeric: true }) : a.kind === 'dir' ? -1 : 1);
  return { expanded, entries: [...exact.sort(order), ...loose.sort(order)].slice(0, limit) };
}
