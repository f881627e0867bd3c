// The vector sets of embedding models, held for search: a model's embeddings loaded from the catalogue once
// into a VectorSearch (exact, or the persisted HNSW graph under <dataData>/search/model-<id>/ beyond the
// threshold) and reused until the model's embeddings change (new, replaced or removed rows change the stamp).
// One instance per service context (ctx.shared), dropped when the services close.
import path from 'node:path';
import type { Db } from '../catalogue/database.js';
import { loadEmbeddings } from '../embed/index.js';
import type { EmbeddingModel } from '../../contract/types/embed.js';
import { VectorMatrix } from './vector-matrix.js';
import { VectorSearch } from './vector-search.js';
import { SearchError } from './errors.js';

export interface ModelSet {
  model: EmbeddingModel;
  stamp: string;
  search: VectorSearch;
  /** Series id of each row, and the row of each series. */
  seriesIds: Int32Array;
  rowOf: Map<number, number>;
}

export class ModelSets {
  #sets = new Map<number, ModelSet>();
  constructor(
    private readonly db: Db,
    private readonly dataDir: string,
  ) {}

  private stamp(modelId: number): string {
    const r = this.db.prepare('SELECT count(*) AS n, coalesce(max(id), 0) AS m, coalesce(sum(id), 0) AS s FROM embeddings WHERE model_id = ?').get(modelId) as {
      n: number;
      m: number;
      s: number;
    };
    return `${r.n}:${r.m}:${r.s}`;
  }

  get(modelId: number): ModelSet {
    const stamp = this.stamp(modelId);
    const known = this.#sets.get(modelId);
    if (known && known.stamp === stamp) return known;
    const set = loadEmbeddings(this.db, modelId);
    if (!set.ids.length) throw new SearchError(`model ${modelId} (${set.model.name}) has no embeddings yet: run voxelbase embed first`);
    const matrix = VectorMatrix.fromRows(set.model.dims, set.ids, set.vectors, `model ${modelId}`);
    const search = new VectorSearch(matrix, { indexDir: path.join(this.dataDir, 'search', `model-${modelId}`) });
    const rowOf = new Map<number, number>();
    set.seriesIds.forEach((id, i) => rowOf.set(id, i));
    const entry: ModelSet = { model: set.model, stamp, search, seriesIds: set.seriesIds, rowOf };
    this.#sets.set(modelId, entry);
    return entry;
  }
}
