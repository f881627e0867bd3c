// eval:* calls.
import type { DomainHandlers } from '../handlers.js';
import type { ServiceContext } from '../context.js';
import { evalResults, runEval } from './run-eval.js';
import { loadEmbeddings } from '../embed/index.js';
import { labelsOf } from '../labels/index.js';
import { seriesRowsByIds } from '../series/index.js';
import { pca2 } from './projection.js';
import type { EmbeddingProjection } from '../../contract/types/labels.js';

const MAX_POINTS = 5000;

/** The 2-D projection of a model's embeddings (an even sample of at most MAX_POINTS series). */
export function embeddingProjection(ctx: ServiceContext, model: number, label?: string): EmbeddingProjection {
  const set = loadEmbeddings(ctx.db, model);
  const n = set.seriesIds.length;
  const step = Math.max(1, Math.ceil(n / MAX_POINTS));
  const rows = Array.from({ length: Math.ceil(n / step) }, (_, i) => i * step);
  const d = set.model.dims;
  const sample = new Float32Array(rows.length * d);
  rows.forEach((r, i) => sample.set(set.vectors.subarray(r * d, (r + 1) * d), i * d));
  const p = pca2(d, sample);
  const labels = label ? labelsOf(ctx.db, label) : new Map<number, string>();
  const ids = rows.map((r) => set.seriesIds[r]);
  const desc = new Map(seriesRowsByIds(ctx.db, ids).map((s) => [s.id, s.description || s.seriesUid]));
  return {
    model,
    label: label ?? null,
    explained: p.explained,
    total: n,
    points: ids.map((id, i) => ({ seriesId: id, x: p.coords[i * 2], y: p.coords[i * 2 + 1], label: labels.get(id) ?? null, description: desc.get(id) ?? '' })),
  };
}

export function evalHandlers(ctx: ServiceContext): DomainHandlers<'eval:run' | 'eval:results' | 'eval:projection'> {
  return {
    'eval:run': (args) => runEval(ctx, args),
    'eval:results': ({ model }) => evalResults(ctx.dataDir, model),
    'eval:projection': ({ model, label }) => embeddingProjection(ctx, model, label),
  };
}
