// data:* calls (the training-data domain's contract face, over the preprocess and augment public modules):
// the defaults, the `preprocess` job, and the augmentation preview (which preprocesses its series first when
// the cache does not hold it yet).
import type { DomainHandlers } from '../handlers.js';
import type { ServiceContext } from '../context.js';
import { PreprocessError, deserializeError } from '../../contract/errors.js';
import type { AugmentPreview, SerializedError } from '../../contract/types.js';
import { runWorkerOnce } from '../../platform/workers.js';
import { defaultAugmentConfig, resolveAugment } from '../augment/index.js';
import { DEFAULT_PREPROCESS_SETTINGS, ensurePreprocessed, resolveSettings, type PreprocessSettingsInput } from '../preprocess/index.js';
import { resolveCohort } from '../cohorts/index.js';

/** The series of a cohort (every member: those that cannot be used fail in the job with their reason). */
export async function cohortSeries(ctx: ServiceContext, cohort: number | string): Promise<number[]> {
  const r = await resolveCohort(ctx.db, cohort, { checkFiles: false });
  if (!r.members.length) throw new PreprocessError(`cohort "${r.cohort.name}" has no members: nothing to preprocess`);
  return r.members;
}

/** Starts a `preprocess` job over `series` (refused at once when the list is empty or the settings are wrong). */
export function startPreprocessJob(ctx: ServiceContext, series: readonly number[], settings: PreprocessSettingsInput = {}): { job: string } {
  if (!series.length) throw new PreprocessError('nothing to preprocess: the cohort or series list is empty');
  const resolved = resolveSettings(settings);
  const total = new Set(series).size;
  const snap = ctx.jobs.start(
    'preprocess',
    (job) =>
      ensurePreprocessed(ctx, series, {
        settings: resolved,
        signal: job.signal,
        onProgress: (d) => job.progress({ step: d.step, current: d.reused + d.computed + d.failed, total: d.total, detail: { ...d } }),
      }),
    { step: 'preprocess', total, detail: { step: 'preprocess', reused: 0, computed: 0, failed: 0, total, bytesRead: 0 } },
  );
  return { job: snap.job };
}

export function dataHandlers(ctx: ServiceContext): DomainHandlers<'data:defaults' | 'data:preprocess' | 'data:augmentPreview'> {
  return {
    'data:defaults': () => ({ preprocess: resolveSettings(DEFAULT_PREPROCESS_SETTINGS), augment: defaultAugmentConfig() }),
    'data:preprocess': async ({ series, cohort, settings }) =>
      startPreprocessJob(ctx, cohort !== undefined ? await cohortSeries(ctx, cohort) : (series ?? []), settings),
    'data:augmentPreview': async ({ series, seed, box, settings, augment }) => {
      const r = await ensurePreprocessed(ctx, [series], { settings, workers: 1 });
      // rendered in a worker thread: reading the volume and two views take ~0.1 s of CPU
      const out = await runWorkerOnce<{ preview?: AugmentPreview; error?: SerializedError }>(import.meta.url, '../../workers/preprocess-preview.js', {
        workerData: { entry: r.entries[0], seed, box, augment: resolveAugment(augment) },
      });
      if (out.error) throw deserializeError(out.error);
      return out.preview!;
    },
  };
}
