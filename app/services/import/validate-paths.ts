// Turns the paths a client sent to import:start into absolute real paths that may be imported.
// The renderer is not trusted: every path is `~`-expanded and resolved (symlinks included) and refused when
// it does not exist, is neither a regular file nor a directory, is not readable, or lies in a kernel/device
// tree (/proc, /sys, /dev, /run) or inside the app's own data folder (files/inspect-path.ts, the rules the
// folder browser applies too). Duplicates (`dir` and `dir/`) and paths nested in another are dropped.
import os from 'node:os';
import path from 'node:path';
import { expandHome, inspectPath, isInside } from '../files/index.js';
import { ImportPathError } from './errors.js';

export interface ValidatedRoot {
  path: string;
  isDirectory: boolean;
}

/** Validates and normalises import roots; throws ImportPathError naming the first bad one. */
export function validateImportPaths(paths: readonly string[], dataDir: string): ValidatedRoot[] {
  const out: ValidatedRoot[] = [];
  for (const p of paths) {
    if (typeof p !== 'string' || p.length === 0 || p.length > 4096 || p.includes('\0')) {
      throw new ImportPathError(String(p).slice(0, 200), 'not a valid path');
    }
    const found = inspectPath(path.resolve(expandHome(p, os.homedir())), dataDir);
    if (!found.ok) throw new ImportPathError(p, found.reason);
    out.push({ path: found.real, isDirectory: found.kind === 'dir' });
  }
  // Drop duplicates and roots inside another directory root.
  return out.filter(
    (r, i) =>
      !out.some((o, j) => o.isDirectory && j !== i && isInside(r.path, o.path) && (o.path !== r.path || j < i)),
  );
}
