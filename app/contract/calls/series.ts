// series:* calls: the catalogue's series, filtered, sorted and paged; one series; thumbnails; slices; facets; ids of
// a filter; patient and study groups; one voxel.
import { z } from 'zod';
import { call } from '../define.js';
import type {
  PatientGroupPage,
  SeriesDetail,
  SeriesFacets,
  SeriesPage,
  SeriesSlice,
  SeriesThumbnail,
  SeriesVoxel,
  StudyGroup,
} from '../types/series.js';

/**
 * The series filter: every series:list filter, also what a cohort is created from and keeps (cohort:create).
 * Conditions combine with AND; an empty filter matches every series.
 */
export const seriesFilterSchema = z
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
    /** Only series of these patients / studies (catalogue ids, as PatientGroup.id / StudyGroup.id). */
    patientIds: z.array(z.number().int().positive()).max(100000).optional(),
    studyIds: z.array(z.number().int().positive()).max(100000).optional(),
    /** Only the members of this cohort (cohort id; cohort:*) that are still in the catalogue. */
    cohort: z.number().int().positive().optional(),
  })
  .strict();

/** A parsed series filter. */
export type SeriesFilter = z.output<typeof seriesFilterSchema>;

export const seriesCalls = {
  /** The catalogue's series, filtered, sorted and paged (a virtualised table asks page by page). */
  'series:list': call<SeriesPage>()(
    z
      .object({
        filter: seriesFilterSchema.default({}),
        sort: z
          .enum(['id', 'date', 'modality', 'bodyPart', 'description', 'patient', 'slices', 'importedAt', 'seriesNumber'])
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
  /** Every series id matching a filter, ascending (a Library selection of "all matching", a cohort). */
  'series:ids': call<number[]>()(z.object({ filter: seriesFilterSchema.default({}) }).strict()),
  /** Patients with series matching a filter, with counts, paged (the Library's grouped view, level 1). */
  'series:patients': call<PatientGroupPage>()(
    z
      .object({
        filter: seriesFilterSchema.default({}),
        /** 'patient': by name then patient ID; 'date': by latest series date. */
        sort: z.enum(['patient', 'date']).default('patient'),
        order: z.enum(['asc', 'desc']).default('asc'),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(200),
      })
      .strict(),
  ),
  /** One patient's studies with series matching a filter, newest first (level 2; level 3 is series:list). */
  'series:studies': call<StudyGroup[]>()(
    z.object({ filter: seriesFilterSchema.default({}), patient: z.number().int().positive() }).strict(),
  ),
  /** One voxel's real value and RAS position (the viewer's readout, `voxelbase volume voxel`). */
  'series:voxel': call<SeriesVoxel>()(
    z
      .object({
        id: z.number().int().positive(),
        voxel: z.tuple([z.number().int().min(0), z.number().int().min(0), z.number().int().min(0)]),
        volume: z.number().int().min(0).max(1e6).default(0),
      })
      .strict(),
  ),
} as const;
