// The data domain's calls (training data: preprocessing cache, augmentation preview). Types: types/data.ts.
import { z } from 'zod';
import { call } from '../define.js';
import type { AugmentConfig, AugmentPreview, PreprocessSettings } from '../types/data.js';

const range = (min: number, max: number) => z.tuple([z.number().min(min).max(max), z.number().min(min).max(max)]);
const spacing = z.number().min(0.05).max(50);

/** Partial PreprocessSettings: what is left out takes its default. */
export const preprocessSettingsSchema = z
  .object({
    /** mm; one number = isotropic. */
    spacing: z.union([spacing, z.tuple([spacing, spacing, spacing])]).optional(),
    antiAlias: z.boolean().optional(),
    intensity: z.enum(['auto', 'ct', 'percentile']).optional(),
    ctWindow: range(-1e5, 1e5).optional(),
    percentiles: range(0, 100).optional(),
    volume: z.number().int().min(0).max(1e6).optional(),
  })
  .strict();

const viewSchema = z
  .object({
    scaleShift: z.object({ p: z.number().min(0).max(1), scale: range(0, 100), shift: range(-100, 100) }).strict().optional(),
    gamma: z.object({ p: z.number().min(0).max(1), range: range(0.01, 100) }).strict().optional(),
    noise: z.object({ p: z.number().min(0).max(1), std: z.number().min(0).max(100) }).strict().optional(),
    blur: z.object({ p: z.number().min(0).max(1), sigma: range(0, 100) }).strict().optional(),
    flip: z.tuple([z.number().min(0).max(1), z.number().min(0).max(1), z.number().min(0).max(1)]).optional(),
    rotate90: z.number().min(0).max(1).optional(),
  })
  .strict();

/** Partial AugmentConfig: per view, each augmentation given replaces its default. */
export const augmentConfigSchema = z
  .object({
    crop: z.object({ scale: range(0.001, 1).optional(), aspect: range(0.01, 100).optional(), minOverlap: z.number().min(0).max(1).optional() }).strict().optional(),
    view1: viewSchema.optional(),
    view2: viewSchema.optional(),
  })
  .strict();

const box = z.tuple([z.number().int().min(4).max(512), z.number().int().min(4).max(512), z.number().int().min(4).max(512)]);

export const dataCalls = {
  /** Default preprocessing settings and augmentations (what a run uses unless told otherwise). */
  'data:defaults': call<{ preprocess: PreprocessSettings; augment: AugmentConfig }>()(z.object({}).strict()),
  /**
   * Preprocess series into the cache (job kind 'preprocess', progress detail PreprocessProgressDetail, result
   * PreprocessResult). Series already cached with the same settings and unchanged files are reused.
   */
  'data:preprocess': call<{ job: string }>()(
    z
      .object({
        /** These series; or */
        series: z.array(z.number().int().positive()).max(100000).optional(),
        /** every member of this cohort (id or name); members that cannot be used are listed in the result's `failed`. */
        cohort: z.union([z.number().int().positive(), z.string().min(1).max(200)]).optional(),
        settings: preprocessSettingsSchema.default({}),
      })
      .strict()
      .refine((a) => (a.series === undefined) !== (a.cohort === undefined), 'give either series or cohort'),
  ),
  /** Two augmented views of one series (preprocessed first when needed): middle slices as PNG data URLs. */
  'data:augmentPreview': call<AugmentPreview>()(
    z
      .object({
        series: z.number().int().positive(),
        seed: z.number().int().min(0).max(2 ** 32 - 1).default(0),
        /** Input box [d, h, w] (default [64, 64, 64]). */
        box: box.default([64, 64, 64]),
        settings: preprocessSettingsSchema.default({}),
        augment: augmentConfigSchema.default({}),
      })
      .strict(),
  ),
} as const;
