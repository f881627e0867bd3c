// What a path on this machine is, after the rules of path-rules.ts: its real path (symlinks resolved), file
// or folder, readable by this process, not a system location, not inside Voxelbase's own data folder. The
// import (import:start) and the folder browser (fs:check, fs:addRoot) use it and raise their own errors.
import fs from 'node:fs';
import path from 'node:path';
import type { FsEntryKind } from '../../contract/types.js';
import { isForbidden, isInside } from './path-rules.js';

export type Inspected = { ok: true; real: string; kind: FsEntryKind } | { ok: false; reason: string };

/** `abs`: an absolute path (see normaliseInput). `dataDir`: refused with everything under it. */
export function inspectPath(abs: string, dataDir?: string): Inspected {
  let real: string;
  try {
    real = fs.realpathSync(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, reason: code === 'ENOENT' || code === 'ENOTDIR' ? 'no such file or directory' : `cannot resolve (${code})` };
  }
  if (isForbidden(real)) return { ok: false, reason: `${real} is a system location` };
  if (dataDir) {
    let dataReal: string;
    try {
      dataReal = fs.realpathSync(dataDir);
    } catch {
      dataReal = path.resolve(dataDir);
    }
    if (isInside(real, dataReal)) return { ok: false, reason: "it is inside Voxelbase's data folder" };
  }
  let st: fs.Stats;
  try {
    st = fs.statSync(real);
  } catch (err) {
    return { ok: false, reason: `cannot stat (${(err as NodeJS.ErrnoException).code})` };
  }
  if (!st.isDirectory() && !st.isFile()) return { ok: false, reason: 'not a regular file or a folder' };
  try {
    fs.accessSync(real, st.isDirectory() ? fs.constants.R_OK | fs.constants.X_OK : fs.constants.R_OK);
  } catch {
    return { ok: false, reason: 'permission denied (not readable by the user running Voxelbase)' };
  }
  return { ok: true, real, kind: st.isDirectory() ? 'dir' : 'file' };
}
