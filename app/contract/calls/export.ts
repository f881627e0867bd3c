// export:* calls: export a pretraining run's encoder (ONNX, MONAI-keyed safetensors, model card) as an 'export' job,
// into a folder of the user's choice (`out`: the folder itself; `into`: a parent, the folder is named after the run)
// or, with neither, into the data folder's exports/ (web mode: then downloaded as a zip from
// GET /api/download/export/<id>). Paths are only shape-checked here; the service refuses occupied targets.
import { z } from 'zod';
import { call } from '../define.js';
import type { ExportRecord, ExportStartResult } from '../types/export.js';

const path = z.string().min(1).max(4096).refine((p) => !p.includes('\0'), 'path contains a NUL byte');
/** Ids of exports in the data folder: `run-<id>-step-<step>-<utc time>[-n]`. */
const exportId = z.string().regex(/^run-\d+-step-\d+-\d{8}T\d{6}Z(-\d+)?$/, 'not an export id');

export const exportCalls = {
  /** Start exporting a run's online encoder. Progress: job-progress (kind 'export'); result: ExportRecord. */
  'export:start': call<ExportStartResult>()(
    z
      .object({
        run: z.number().int().positive(),
        /** Checkpoint step (default: the run's latest). */
        step: z.number().int().min(0).optional(),
        formats: z.array(z.enum(['onnx', 'safetensors', 'card'])).min(1).max(3).default(['onnx', 'safetensors', 'card']),
        keys: z.enum(['monai', 'medicalnet']).default('monai'),
        /** The model card's licence field. */
        licence: z.string().max(500).optional(),
        /** The export folder itself (must not exist, or be empty). */
        out: path.optional(),
        /** A parent folder: the export becomes a new folder in it named after the run. */
        into: path.optional(),
      })
      .strict()
      .refine((a) => !(a.out && a.into), { message: 'give out or into, not both' }),
  ),
  /** An export kept in the data folder. */
  'export:get': call<ExportRecord>()(z.object({ id: exportId }).strict()),
  /** Exports kept in the data folder, newest first. */
  'export:list': call<ExportRecord[]>()(z.object({}).strict()),
  /** Delete an export kept in the data folder. */
  'export:delete': call<{ deleted: string }>()(z.object({ id: exportId }).strict()),
} as const;
