// labels:* and eval:* calls: labels per series (from a CSV or a catalogued DICOM attribute) and the retrieval
// evaluation of a model's embeddings against one of them, beside a random-encoder baseline.
import { z } from 'zod';
import { call } from '../define.js';
import type { EmbeddingProjection, EvalResult, LabelImportResult, LabelKey } from '../types/labels.js';

const key = z.string().min(1).max(64).regex(/^[\w.\- ]+$/, 'letters, digits, space, dot, dash, underscore');

export const LABEL_ATTRIBUTES = ['Modality', 'BodyPartExamined', 'SeriesDescription', 'ProtocolName', 'Manufacturer', 'ManufacturerModelName', 'StudyDescription', 'PatientSex'] as const;

export const labelsCalls = {
  /** Labels from a CSV file: a series_uid, source_path or series_id column, and one column per label key (or only `column`). */
  'labels:import': call<LabelImportResult>()(
    z
      .object({
        path: z.string().min(1).max(4096).refine((p) => !p.includes('\0'), 'path contains a NUL byte'),
        /** Only this column (default: every column but the identifying one). */
        column: z.string().min(1).max(128).optional(),
        /** Store the column under this key (default: the column's header). */
        key: key.optional(),
      })
      .strict(),
  ),
  /** A catalogued DICOM attribute of every series as the label `key` (default: the attribute's keyword). */
  'labels:fromAttribute': call<LabelImportResult>()(z.object({ attribute: z.enum(LABEL_ATTRIBUTES), key: key.optional() }).strict()),
  'labels:keys': call<LabelKey[]>()(z.object({}).strict()),
  /** kNN accuracy (1, 5, 20), recall@k (1, 5, 10) and mAP of a model's embeddings against a label, beside a
   *  randomly initialised encoder of the same architecture (embedded now if needed). */
  'eval:run': call<EvalResult>()(
    z.object({ model: z.number().int().positive(), label: key, baseline: z.boolean().default(true), seed: z.number().int().min(0).max(2 ** 31).default(0) }).strict(),
  ),
  /** The 2-D PCA projection of a model's embeddings, points coloured by `label` when given. */
  'eval:projection': call<EmbeddingProjection>()(z.object({ model: z.number().int().positive(), label: key.optional() }).strict()),
  /** The latest evaluations (of a model, or all), newest first. */
  'eval:results': call<EvalResult[]>()(z.object({ model: z.number().int().positive().optional() }).strict()),
} as const;
