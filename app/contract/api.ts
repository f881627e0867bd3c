// The one contract: every call (`domain:verb` -> args schema, result type) and every push event.
// Electron main, preload, renderer, the web transport, the CLI and the tests derive their types from here.
// Each domain keeps its own block; add calls to your domain's block only.
import { z } from 'zod';
import { call, event } from './define.js';
import { dataCalls } from './calls/data.js';
import type {
  InfoResult,
  JobSnapshot,
  JobProgress,
} from './types.js';
import type {
  FileErrorPage,
  ImportRun,
  ImportStartResult,
  SeriesDetail,
  SeriesFacets,
  SeriesPage,
  SeriesSlice,
  SeriesThumbnail,
} from './types.js';

export const calls = {
  // ---- app ---------------------------------------------------------------------------------
  'app:info': call<InfoResult>()(z.object({}).strict()),

  // ---- jobs --------------------------------------------------------------------------------
  'jobs:list': call<JobSnapshot[]>()(z.object({}).strict()),
  'jobs:get': call<JobSnapshot>()(z.object({ job: z.string().min(1).max(64) }).strict()),
  'jobs:cancel': call<JobSnapshot>()(z.object({ job: z.string().min(1).max(64) }).strict()),

  // ---- dialog (desktop shell only: answered by Electron main; NotSupportedError in web mode / CLI) ----
  /** Native folder picker; resolves with the chosen absolute paths, [] when cancelled. */
  'dialog:openFolder': call<string[]>()(
    z.object({ title: z.string().max(200).optional(), multiple: z.boolean().default(true) }).strict(),
  ),

  // ---- import (A3) -------------------------------------------------------------------------
  // Paths are only shape-checked here; the service resolves them to absolute real paths and refuses
  // ones that do not exist, are not files/directories, or lie under /proc, /sys, /dev.
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
  /** Per-file errors (bad, unreadable and non-image files), of one run or of all runs, newest first. */
  'import:errors': call<FileErrorPage>()(
    z
      .object({
        run: z.number().int().positive().optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(200),
      })
      .strict(),
  ),

  // ---- series (A3) -------------------------------------------------------------------------
  /** The catalogue's series, filtered, sorted and paged (a virtualised table asks page by page). */
  'series:list': call<SeriesPage>()(
    z
      .object({
        filter: z
          .object({
            /** Any of these modalities (e.g. ['MR', 'CT']). */
            modality: z.array(z.string().min(1).max(16)).max(32).optional(),
            /** Any of these body parts (BodyPartExamined). */
            bodyPart: z.array(z.string().min(1).max(64)).max(64).optional(),
            /** Case-insensitive substring of the series or study description, patient id/name or series UID. */
            text: z.string().max(256).optional(),
            /** Series date range, inclusive, YYYY-MM-DD. */
            dateFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
            dateTo: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
            /** Per-axis bounds on [x, y, z] voxel counts. */
            minDims: z.tuple([z.number().int().min(0), z.number().int().min(0), z.number().int().min(0)]).optional(),
            maxDims: z.tuple([z.number().int().min(0), z.number().int().min(0), z.number().int().min(0)]).optional(),
            /** Every voxel size (mm) within [spacingMin, spacingMax]. */
            spacingMin: z.number().min(0).max(1e4).optional(),
            spacingMax: z.number().min(0).max(1e4).optional(),
            status: z.array(z.enum(['importing', 'complete', 'missing-files', 'failed'])).max(4).optional(),
            kind: z.enum(['dicom', 'nifti']).optional(),
            usableForLearning: z.boolean().optional(),
            /** Only these series ids (cohorts). */
            ids: z.array(z.number().int().positive()).max(100000).optional(),
          })
          .strict()
          .default({}),
        sort: z
          .enum(['id', 'date', 'modality', 'bodyPart', 'description', 'patient', 'slices', 'importedAt'])
          .default('date'),
        order: z.enum(['asc', 'desc']).default('desc'),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(100),
      })
      .strict(),
  ),
  /** One series with its files, not-stacked reasons, errors and affine. */
  'series:get': call<SeriesDetail>()(z.object({ id: z.number().int().positive() }).strict()),
  /** A cached orthogonal thumbnail (PNG made at import; rebuilt when missing). */
  'series:thumbnail': call<SeriesThumbnail>()(
    z.object({ id: z.number().int().positive(), axis: z.enum(['axial', 'coronal', 'sagittal']) }).strict(),
  ),
  /** One slice of the assembled volume for the slice viewer (real values, slope/intercept applied). */
  'series:slice': call<SeriesSlice>()(
    z
      .object({
        id: z.number().int().positive(),
        axis: z.enum(['axial', 'coronal', 'sagittal']),
        /** Slice index along the axis; out-of-range indices are refused. Default: the middle slice. */
        index: z.number().int().min(0).max(1e6).optional(),
        /** Volume index of a 4-D series (default 0). */
        volume: z.number().int().min(0).max(1e6).default(0),
      })
      .strict(),
  ),
  /** Distinct values (with counts) for the filter dropdowns. */
  'series:facets': call<SeriesFacets>()(z.object({}).strict()),

  // ---- data (training data: preprocessing cache, augmentation preview) -----------------------
  ...dataCalls,
} as const;

export const events = {
  /** Every job's progress, state changes included. */
  'job-progress': event<JobProgress>(),
  /** The desktop menu's File > Import folder… picked these folders; the renderer starts the import. */
  'import-folders-chosen': event<{ paths: string[] }>(),
} as const;

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type CallArgs<N extends CallName> = z.input<Calls[N]['args']>;
export type ParsedArgs<N extends CallName> = z.output<Calls[N]['args']>;
export type CallResult<N extends CallName> = Calls[N]['result'];

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = Events[E]['payload'];

/** What every transport gives a client: one typed `call`, one typed `on`. */
export interface Api {
  call<N extends CallName>(name: N, args: CallArgs<N>): Promise<CallResult<N>>;
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.hasOwn(calls, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}
