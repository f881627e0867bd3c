// fs:* calls: the web mode's folder browser on the machine running Voxelbase (types/fs.ts). Paths are only
// shape-checked here; the service expands `~`, resolves symlinks and refuses what lies outside its roots.
import { z } from 'zod';
import { call } from '../define.js';
import type { FsCheckedPath, FsCompletion, FsListing, FsRoot } from '../types/fs.js';

const pathArg = z.string().min(1).max(4096).refine((p) => !p.includes('\0'), 'path contains a NUL byte');

export const fsCalls = {
  /** The folders the browser may show: home, the folders added, the folders imported before. */
  'fs:roots': call<FsRoot[]>()(z.object({}).strict()),
  /** Adds a folder to the roots (checked: exists, readable, not a system location); returns the roots. */
  'fs:addRoot': call<FsRoot[]>()(z.object({ path: pathArg }).strict()),
  /** Removes a folder the user added; returns the roots. */
  'fs:removeRoot': call<FsRoot[]>()(z.object({ path: pathArg }).strict()),
  /** One folder's entries; FsPathError when it lies outside the roots. */
  'fs:list': call<FsListing>()(
    z
      .object({
        path: pathArg,
        showHidden: z.boolean().default(false),
        limit: z.number().int().min(1).max(10000).default(2000),
      })
      .strict(),
  ),
  /** Completions of a path being typed (`~` expanded); nothing outside the roots. */
  'fs:complete': call<FsCompletion>()(
    z
      .object({
        text: z.string().max(4096).refine((p) => !p.includes('\0'), 'path contains a NUL byte'),
        limit: z.number().int().min(1).max(200).default(20),
      })
      .strict(),
  ),
  /** Checks a path before it is added to an import: normalised, exists, readable, not a system location. */
  'fs:check': call<FsCheckedPath>()(z.object({ path: pathArg }).strict()),
} as const;
