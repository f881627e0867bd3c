// pretrain:* calls: plan a BYOL pretraining run (defaults sized to the machine and the data, memory estimate),
// start it as a job of kind 'pretrain' (pausable; progress detail PretrainProgressDetail), resume a stopped or
// interrupted run from its last checkpoint. Types: types/runs.ts.
import { z } from 'zod';
import { call } from '../define.js';
import { PRETRAIN_ARCHS, type PretrainPlan, type PretrainStartResult } from '../types/runs.js';
import { augmentConfigSchema } from './data.js';
import { cohortRef } from './cohort.js';

const int = (min: number, max: number) => z.number().int().min(min).max(max);
const box = int(8, 512);

/** Run options (types/runs.ts PretrainOptions); anything left out takes its default. */
export const pretrainOptionsSchema = z
  .object({
    arch: z.enum(PRETRAIN_ARCHS as [string, ...string[]]).optional(),
    input: z.union([box, z.tuple([box, box, box])]).optional(),
    spacing: z.number().min(0.1).max(20).optional(),
    batch: int(1, 4096).optional(),
    steps: int(1, 10_000_000).optional(),
    epochs: int(1, 100_000).optional(),
    optimizer: z.enum(['lars', 'adamw']).optional(),
    lr: z.number().positive().max(100).optional(),
    weightDecay: z.number().min(0).max(10).optional(),
    warmupSteps: int(0, 10_000_000).optional(),
    seed: int(0, 2 ** 31 - 1).optional(),
    tauBase: z.number().min(0).max(1).optional(),
    norm: z.enum(['batch', 'group']).optional(),
    bnStatistics: z.enum(['per-view', 'joint']).optional(),
    threads: int(1, 256).optional(),
    loaderWorkers: int(0, 64).optional(),
    widths: z.tuple([int(1, 4096), int(1, 4096), int(1, 4096), int(1, 4096)]).optional(),
    heads: z.object({ projHidden: int(1, 65536), projOut: int(1, 65536), predHidden: int(1, 65536) }).strict().optional(),
    checkpointEvery: int(1, 10_000_000).optional(),
    checkpointMinutes: z.number().positive().max(10_000).optional(),
    keepCheckpoints: int(1, 1000).optional(),
    /** Overrides of the default augmentations (calls/data.ts). */
    augment: augmentConfigSchema.optional(),
  })
  .strict();

/** What to train on: a cohort (by id or name; its usable members) or a list of series. */
const source = {
  cohort: cohortRef.optional(),
  series: z.array(z.number().int().positive()).min(1).max(100_000).optional(),
};
const oneSource = (a: { cohort?: unknown; series?: unknown }) => (a.cohort === undefined) !== (a.series === undefined);
const oneSourceMessage = { message: 'give either a cohort or a list of series to train on' };

export const pretrainCalls = {
  /** Defaults for this data and machine, the provider, and the peak-memory estimate (nothing is started). */
  'pretrain:plan': call<PretrainPlan>()(
    z
      .object({
        ...source,
        options: pretrainOptionsSchema.default({}),
        /** Plan for this execution provider (ProviderError when it does not work here); default: the first that works. */
        provider: z.string().min(1).max(32).optional(),
      })
      .strict()
      .refine(oneSource, oneSourceMessage),
  ),
  /** Starts a run (MemoryBudgetError when the configuration cannot fit; ProviderError for a forced provider
   *  that does not work here). */
  'pretrain:start': call<PretrainStartResult>()(
    z
      .object({
        ...source,
        options: pretrainOptionsSchema.default({}),
        name: z.string().trim().min(1).max(200).optional(),
        /** Force an execution provider ('cpu', 'cuda', 'webgpu'); default: the first that works. */
        provider: z.string().min(1).max(32).optional(),
      })
      .strict()
      .refine(oneSource, oneSourceMessage),
  ),
  /** Continues a run that is not running (interrupted, paused in a process that ended, cancelled or failed) from its
   *  last checkpoint, with its recorded configuration. */
  'pretrain:resume': call<PretrainStartResult>()(
    z.object({ run: z.number().int().positive(), provider: z.string().min(1).max(32).optional() }).strict(),
  ),
} as const;
