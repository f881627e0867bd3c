// Turns the paths a client sent to import:start into absolute real paths that may be imported.
// The renderer is not trusted: every path is resolved (symlinks included) and refused when it does not
// exist, is neither a regular file nor a directory, or lies in a kernel/device tree (/proc, /sys, /dev)
// or inside the app's own data folder. Duplicates and paths nested in another given path are dropped.
import fs from 'node:fs';
import path from 'node:path';
import { ImportPathError } from './errors.js';

/** Pseudo file systems that must never be walked (infinite, blocking or device files). */
export const FORBIDDEN_ROOTS = ['/proc', '/sys', '/dev', '/run'];

export function isForbidden(real: string): boolean {
  return FORBIDDEN_ROOTS.some((r) => real === r || real.startsWith(r + path.sep));
}

export function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

export interface ValidatedRoot {
  path: string;
  isDirectory: boolean;
}

/** Validates and normalises import roots; throws ImportPathError naming the first bad one. */
export function validateImportPaths(paths: readonly string[], dataDir: string): ValidatedRoot[] {
  const out: ValidatedRoot[] = [];
  let dataReal: string | null = null;
  try {
    dataReal = fs.realpathSync(dataDir);
  } catch {
    dataReal = path.resolve(dataDir);
  }
  for (const p of paths) {
    if (typeof p !== 'string' || p.length === 0 || p.length > 4096 || p.includes('\0')) {
      throw new ImportPathError(String(p).slice(0, 200), 'not a valid path');
    }
    const abs = path.resolve(p);
    let real: string;
    try {
      real = fs.realpathSync(abs);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new ImportPathError(p, code === 'ENOENT' ? 'no such file or directory' : `cannot resolve (${code})`);
    }
    if (isForbidden(real)) throw new ImportPathError(p, `${real} is a system location`);
    if (dataReal && isInside(real, dataReal)) throw new ImportPathError(p, "it is inside Voxelbase's data folder");
    let st: fs.Stats;
    try {
      st = fs.statSync(real);
    } catch (err) {
      throw new ImportPathError(p, `cannot stat (${(err as NodeJS.ErrnoException).code})`);
    }
    if (!st.isDirectory() && !st.isFile()) throw new ImportPathError(p, 'not a regular file or a directory');
    out.push({ path: real, isDirectory: st.isDirectory() });
  }
  // Drop duplicates and roots inside another directory root.
  return out.filter(
    (r, i) =>
      !out.some((o, j) => o.isDirectory && j !== i && isInside(r.path, o.path) && (o.path !== r.path || j < i)),
  );
}
