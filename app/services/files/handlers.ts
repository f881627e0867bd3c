// fs:* calls (the web mode's folder browser): roots, add/remove a root, list a folder, complete a typed
// path, check a path before it is added to an import. Every path goes through path-rules.ts and, except
// for fs:check and fs:addRoot, must resolve inside a root.
import type { DomainHandlers } from '../handlers.js';
import type { ServiceContext } from '../context.js';
import { completePath } from './complete-path.js';
import { FsPathError } from './errors.js';
import { inspectPath } from './inspect-path.js';
import { listFolder } from './list-folder.js';
import { normaliseInput } from './path-rules.js';
import { resolveInRoots } from './resolve-in-roots.js';
import { addRoot, browseRoots, homeOf, removeRoot, rootOf, type RootsContext } from './roots.js';

type FsCall = 'fs:roots' | 'fs:addRoot' | 'fs:removeRoot' | 'fs:list' | 'fs:complete' | 'fs:check';

export interface FsOptions {
  /** The home folder (default os.homedir()). */
  home?: string;
  /** Folders imported before, newest first (the import domain's importedRoots). */
  importedRoots?: () => string[];
}

export function fsHandlers(ctx: ServiceContext, o: FsOptions = {}): DomainHandlers<FsCall> {
  const rc: RootsContext = { db: ctx.db, dataDir: ctx.dataDir, home: o.home, importedRoots: o.importedRoots };
  return {
    'fs:roots': () => browseRoots(rc),
    'fs:addRoot': ({ path }) => addRoot(rc, path),
    'fs:removeRoot': ({ path }) => removeRoot(rc, path),
    'fs:list': ({ path, showHidden, limit }) => {
      const roots = browseRoots(rc);
      const r = resolveInRoots(path, roots, homeOf(rc), ctx.dataDir);
      if (r.kind !== 'dir') throw new FsPathError(path, 'not a folder');
      return listFolder(r.real, r.root, roots, { showHidden, limit });
    },
    'fs:complete': ({ text, limit }) => completePath(text, browseRoots(rc), homeOf(rc), limit, ctx.dataDir),
    'fs:check': ({ path }) => {
      const found = inspectPath(normaliseInput(path, homeOf(rc)), ctx.dataDir);
      if (!found.ok) throw new FsPathError(path, found.reason);
      return { input: path, path: found.real, kind: found.kind, insideRoots: rootOf(found.real, browseRoots(rc)) !== null };
    },
  };
}
