// search:similar: the k series whose embeddings (one model's) are most similar to the query's by cosine,
// among the series the filter keeps (the series list's filter, same SQL), best first. The query is a
// catalogued series (its stored embedding) or a NIfTI file embedded on the fly with the model's encoder.
import type { ServiceContext } from '../context.js';
import type { ParsedArgs } from '../../contract/api.js';
import type { SearchResult } from '../../contract/types/search.js';
import { NotFoundError } from '../../contract/errors.js';
import { embedFile, getModel, modelEncoderSource } from '../embed/index.js';
import { seriesIds, seriesRowsByIds } from '../series/index.js';
import { ModelSets } from './model-sets.js';

export type SimilarArgs = ParsedArgs<'search:similar'>;

const isEmptyFilter = (f: SimilarArgs['filter']) => Object.values(f ?? {}).every((v) => v === undefined);

export function modelSets(ctx: ServiceContext): ModelSets {
  return ctx.shared('search:model-sets', () => new ModelSets(ctx.db, ctx.dataDir), () => undefined);
}

export async function searchSimilar(ctx: ServiceContext, args: SimilarArgs): Promise<SearchResult> {
  const model = getModel(ctx.db, args.model);
  const set = modelSets(ctx).get(model.id);
  let query: Float32Array;
  let querySeries = null;
  if ('series' in args.query) {
    const row = set.rowOf.get(args.query.series);
    if (row === undefined) {
      if (!seriesRowsByIds(ctx.db, [args.query.series]).length) throw new NotFoundError(`no series with id ${args.query.series}`);
      throw new NotFoundError(`series ${args.query.series} has no embedding with model ${model.id}: embed it first (voxelbase embed ... --id ${args.query.series})`);
    }
    query = set.search.matrix.row(row);
    querySeries = seriesRowsByIds(ctx.db, [args.query.series])[0];
  } else {
    query = await embedFile(await modelEncoderSource(ctx.db, ctx.dataDir, model.id), args.query.path);
  }
  let rows: Int32Array | undefined;
  if (!isEmptyFilter(args.filter)) {
    const keep = seriesIds(ctx.db, args.filter);
    rows = Int32Array.from(keep.map((id) => set.rowOf.get(id)).filter((r): r is number => r !== undefined));
  }
  const t0 = performance.now();
  const res = rows && rows.length === 0 ? { hits: [], method: 'exact' as const, candidates: 0 } : set.search.search(query, args.k, rows);
  const ms = performance.now() - t0;
  const series = seriesRowsByIds(ctx.db, res.hits.map((h) => set.seriesIds[h.row]));
  const byId = new Map(series.map((s) => [s.id, s]));
  return {
    model: set.model,
    query: { series: querySeries, path: 'path' in args.query ? args.query.path : null },
    k: args.k,
    method: res.method,
    candidates: res.candidates,
    hits: res.hits
      .map((h, i) => ({ rank: i + 1, score: h.score, series: byId.get(set.seriesIds[h.row])! }))
      .filter((h) => h.series !== undefined),
    ms,
  };
}
