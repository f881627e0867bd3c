// Rules every path from a client goes through before the server touches it (the import's paths and the
// folder browser's): `~` and `~/x` expanded to the home folder, relative paths taken from the home folder
// (a browser has no working directory on the server), `dir/` and `dir` the same; the kernel and device
// trees are never walked (infinite, blocking or device files), whatever symlink leads there.
import path from 'node:path';

/** Pseudo file systems that must never be walked. */
export const FORBIDDEN_ROOTS = ['/proc', '/sys', '/dev', '/run'];

/** `real` (a resolved path) lies in a kernel/device tree. */
export function isForbidden(real: string): boolean {
  return FORBIDDEN_ROOTS.some((r) => real === r || real.startsWith(r + path.sep));
}

/** `child` is `parent` or lies under it (both absolute, normalised). */
export function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** `~` -> home, `~/x` -> home/x; anything else unchanged (`~user` is not expanded). */
export function expandHome(p: string, home: string): string {
  if (p === '~') return home;
  if (p.startsWith('~/') || p.startsWith(`~${path.sep}`)) return path.join(home, p.slice(2));
  return p;
}

/** Absolute normalised path of what a client typed: `~` expanded, relative to `base`, no trailing separator. */
export function normaliseInput(p: string, home: string, base = home): string {
  return path.resolve(base, expandHome(p.trim(), home));
}
