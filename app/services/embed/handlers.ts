// embed:* calls: start an embed job for an encoder (a run's checkpoint through the runs module, or a random
// initialisation) over all usable series, a cohort's usable members or a list; list the models embeddings were made with.
import type { DomainHandlers } from '../handlers.js';
import type { ServiceContext } from '../context.js';
import type { ParsedArgs } from '../../contract/api.js';
import { NotFoundError, ValidationError } from '../../contract/errors.js';
import { requireUsableMembers, resolveCohort } from '../cohorts/index.js';
import { randomEncoderSource, runEncoderSource, type EncoderSource } from './encoder-source.js';
import type { EmbedStartResult } from '../../contract/types/embed.js';
import { listModels, upsertModel } from './store.js';
import { runEmbed } from './run-embed.js';

export type EncoderChoice = ParsedArgs<'embed:start'>['encoder'];
export type SeriesScope = ParsedArgs<'embed:start'>['series'];

/** The encoder a call names. */
export async function resolveEncoder(ctx: ServiceContext, choice: EncoderChoice): Promise<EncoderSource> {
  if (choice.kind === 'random') return randomEncoderSource(choice);
  return runEncoderSource(ctx.db, ctx.dataDir, choice.run, choice.step);
}

/** Series ids of a scope: every complete, usable series, or the given ids (each must exist). */
export async function resolveSeries(ctx: ServiceContext, scope: SeriesScope): Promise<number[]> {
  if ('cohort' in scope) return requireUsableMembers(await resolveCohort(ctx.db, scope.cohort));
  if ('all' in scope) {
    const rows = ctx.db.prepare(`SELECT id FROM series WHERE status = 'complete' AND usable = 1 ORDER BY id`).all() as { id: number }[];
    if (!rows.length) throw new ValidationError('the catalogue has no usable series to embed; import some first');
    return rows.map((r) => r.id);
  }
  const ids = [...new Set(scope.ids)];
  const found = new Set(
    (ctx.db.prepare('SELECT id FROM series WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as { id: number }[]).map((r) => r.id),
  );
  const missing = ids.filter((i) => !found.has(i));
  if (missing.length) throw new NotFoundError(`no series with id ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ' ...' : ''}`);
  return ids;
}

/** Starts an embed job of `source` over the series (queue 'embed'); the model row is made first. */
export function startEmbedJob(ctx: ServiceContext, source: EncoderSource, seriesIds: number[], threads?: number): EmbedStartResult {
  const model = upsertModel(ctx.db, source);
  const snap = ctx.jobs.start('embed', (job) => runEmbed(ctx, job, { source, model, seriesIds, threads }), {
    step: 'preprocess',
    detail: { model: model.id, embedded: 0, unchanged: 0, failed: 0, total: seriesIds.length, tiles: 0 },
    total: seriesIds.length,
    queue: 'embed',
    pausable: true,
  });
  return { job: snap.job, model };
}

export function embedHandlers(ctx: ServiceContext): DomainHandlers<'embed:start' | 'embed:models'> {
  return {
    'embed:start': async ({ encoder, series, threads }) => startEmbedJob(ctx, await resolveEncoder(ctx, encoder), await resolveSeries(ctx, series), threads),
    'embed:models': ({ run }) => listModels(ctx.db, run),
  };
}
