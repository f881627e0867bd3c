// import:* calls. Paths are only shape-checked here; the service resolves them to absolute real paths and refuses
// ones that do not exist, are not files/directories, or lie under /proc, /sys, /dev.
import { z } from 'zod';
import { call } from '../define.js';
import type { ImportRun, ImportStartResult, NotImportedPage } from '../types/import.js';

export const importCalls = {
  /** Start importing files/folders (recursively). Progress: `job-progress` (kind 'import', detail ImportProgressDetail). */
  'import:start': call<ImportStartResult>()(
    z
      .object({
        paths: z
          .array(z.string().min(1).max(4096).refine((p) => !p.includes('\0'), 'path contains a NUL byte'))
          .min(1)
          .max(64),
        /** Make the three orthogonal thumbnails per series (default true). */
        thumbnails: z.boolean().default(true),
      })
      .strict(),
  ),
  /** Import runs, newest first. */
  'import:runs': call<ImportRun[]>()(
    z.object({ limit: z.number().int().min(1).max(1000).default(50) }).strict(),
  ),
  /** Files not imported (bad, unreadable, non-image, undecodable, duplicate copies), each with its reason, of one run or of all runs, newest first. */
  'import:notImported': call<NotImportedPage>()(
    z
      .object({
        run: z.number().int().positive().optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(200),
      })
      .strict(),
  ),
} as const;
