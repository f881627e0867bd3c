// search:similar: the k series whose embeddings (one model's) are most similar to the query's by cosine,
// among the series the filter keeps (the series list's filter, same SQL), best first. The query is a
// catalogued series (its stored embedding) or a file embedded on the fly with the model's encoder (a path, or a
// web-mode upload: uploads.ts). A file's vector is kept (per model, file, size and mtime; the newest 16) so that
// changing the filters or k does not run the encoder again.
import fs from 'node:fs';
import type { ServiceContext } from '../context.js';
import type { ParsedArgs } from '../../contract/api.js';
import type { SearchResult } from '../../contract/types/search.js';
import { NotFoundError } from '../../contract/errors.js';
import { embedFile, getModel, modelEncoderSource } from '../embed/index.js';
import { seriesIds, seriesRowsByIds } from '../series/index.js';
import { ModelSets } from './model-sets.js';
import { uploadFile } from './uploads.js';

export type SimilarArgs = ParsedArgs<'search:similar'>;

const isEmptyFilter = (f: SimilarArgs['filter']) => Object.values(f ?? {}).every((v) => v === undefined);

export function modelSets(ctx: ServiceContext): ModelSets {
  return ctx.shared('search:model-sets', () => new ModelSets(ctx.db, ctx.dataDir), () => undefined);
}

type FileVectors = Map<string, { vector: Float32Array; description: string }>;
const KEPT_FILE_VECTORS = 16;

/** The embedding of a query file with `model`, from the kept ones when the file is unchanged. */
async function fileVector(ctx: ServiceContext, model: { id: number; key: string }, file: string): Promise<{ vector: Float32Array; description: string }> {
  const kept = ctx.shared<FileVectors>('search:file-vectors', () => new Map(), (m) => m.clear());
  let stamp = '';
  try {
    const st = fs.statSync(file);
    stamp = `${st.size}:${st.mtimeMs}`;
  } catch {
    /* embedFile says what is wrong with it */
  }
  const key = `${model.key}\n${file}\n${stamp}`;
  const hit = stamp ? kept.get(key) : undefined;
  if (hit) {
    kept.delete(key);
    kept.set(key, hit); // most recently used last
    return hit;
  }
  const fresh = await embedFile(await modelEncoderSource(ctx.db, ctx.dataDir, model.id), file, { dataDir: ctx.dataDir });
  kept.set(key, fresh);
  while (kept.size > KEPT_FILE_VECTORS) kept.delete(kept.keys().next().value!);
  return fresh;
}

export async function searchSimilar(ctx: ServiceContext, args: SimilarArgs): Promise<SearchResult> {
  const model = getModel(ctx.db, args.model);
  const set = modelSets(ctx).get(model.id);
  let query: Float32Array;
  let querySeries = null;
  let description: string;
  if ('series' in args.query) {
    const row = set.rowOf.get(args.query.series);
    if (row === undefined) {
      if (!seriesRowsByIds(ctx.db, [args.query.series]).length) throw new NotFoundError(`no series with id ${args.query.series}`);
      throw new NotFoundError(`series ${args.query.series} has no embedding with model ${model.id}: embed it first (voxelbase embed ... --id ${args.query.series})`);
    }
    query = set.search.matrix.row(row);
    querySeries = seriesRowsByIds(ctx.db, [args.query.series])[0];
    description = `series ${querySeries.id}${querySeries.description ? ` (${querySeries.description})` : ''}`;
  } else {
    const file = 'path' in args.query ? args.query.path : uploadFile(ctx.dataDir, args.query.upload).path;
    ({ vector: query, description } = await fileVector(ctx, model, file));
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
    query: {
      series: querySeries,
      path: 'path' in args.query ? args.query.path : null,
      upload: 'upload' in args.query ? args.query.upload : null,
      description,
    },
    k: args.k,
    method: res.method,
    candidates: res.candidates,
    hits: res.hits
      .map((h, i) => ({ rank: i + 1, score: h.score, series: byId.get(set.seriesIds[h.row])! }))
      .filter((h) => h.series !== undefined),
    ms,
  };
}
