// A path the browser may open: what the client typed, normalised (path-rules.ts), resolved with symlinks,
// an existing readable folder or file, and inside one of the roots once resolved: a symlink in the home
// folder that points at /etc is refused like /etc itself.
import type { FsEntryKind, FsRoot } from '../../contract/types.js';
import { FsPathError } from './errors.js';
import { inspectPath } from './inspect-path.js';
import { normaliseInput } from './path-rules.js';
import { rootOf } from './roots.js';

export interface Resolved {
  real: string;
  kind: FsEntryKind;
  root: FsRoot;
}

export function resolveInRoots(input: string, roots: readonly FsRoot[], home: string, dataDir?: string): Resolved {
  const found = inspectPath(normaliseInput(input, home), dataDir);
  if (!found.ok) throw new FsPathError(input, found.reason);
  const root = rootOf(found.real, roots);
  if (!root) {
    const where = found.real === normaliseInput(input, home) ? '' : ` (it resolves to ${found.real})`;
    throw new FsPathError(input, `outside the folders this browser may show${where}: your home folder, the folders you added and the folders imported before`);
  }
  return { real: found.real, kind: found.kind, root };
}
