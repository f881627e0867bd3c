// One search over a vector set: exact (certified, exact-search.ts) up to `exactUpTo` rows, beyond it the
// persisted HNSW graph (hnsw-index.ts), opened and synced incrementally on first use. A filter (the rows a
// catalogue query kept) combines with the ranking: when it keeps at most `exactUpTo` rows the search is
// exact over those rows (a 1% filter over 1M rows scans 10k rows); otherwise the graph is asked for more
// candidates and the filter applied to them.
import { exactSearch, type SearchHit } from './exact-search.js';
import { HnswIndex, type HnswOptions } from './hnsw-index.js';
import { normaliseQuery, type VectorMatrix } from './vector-matrix.js';

export interface VectorSearchOptions {
  /** Sets (or filtered subsets) up to this many rows are searched exactly (default 200 000). */
  exactUpTo?: number;
  /** Where the HNSW graph is persisted; without it the graph lives in memory only. */
  indexDir?: string;
  hnsw?: HnswOptions;
  threads?: number;
}

export interface VectorSearchResult {
  hits: SearchHit[];
  method: 'exact' | 'hnsw';
  /** Rows the search could return (after the filter). */
  candidates: number;
}

export const DEFAULT_EXACT_UP_TO = 200_000;

export class VectorSearch {
  readonly matrix: VectorMatrix;
  readonly exactUpTo: number;
  readonly #opts: VectorSearchOptions;
  #hnsw: HnswIndex | null = null;

  constructor(matrix: VectorMatrix, opts: VectorSearchOptions = {}) {
    this.matrix = matrix;
    this.exactUpTo = opts.exactUpTo ?? DEFAULT_EXACT_UP_TO;
    this.#opts = opts;
  }

  /** The HNSW graph (opened or built, synced with the matrix, saved when it changed); null below the threshold. */
  index(): HnswIndex | null {
    if (this.matrix.count <= this.exactUpTo) return null;
    if (!this.#hnsw) {
      const dir = this.#opts.indexDir;
      const h = (dir && HnswIndex.open(dir, this.matrix.dims, this.#opts.hnsw)) || HnswIndex.create(this.matrix, this.#opts.hnsw);
      const { added, removed } = h.sync(this.matrix);
      if (dir && (added || removed)) h.save(dir);
      this.#hnsw = h;
    }
    return this.#hnsw;
  }

  /** Top-k rows by cosine similarity to `query`, within `rows` when given. */
  search(query: ArrayLike<number>, k: number, rows?: Int32Array): VectorSearchResult {
    const m = this.matrix;
    const n = rows ? rows.length : m.count;
    if (n <= this.exactUpTo) {
      return { hits: exactSearch(m, query, k, { rows, threads: this.#opts.threads }), method: 'exact', candidates: n };
    }
    const q = normaliseQuery(query, m.dims);
    const h = this.index()!;
    let mask: Uint8Array | undefined;
    if (rows) {
      mask = new Uint8Array(m.count);
      for (let i = 0; i < rows.length; i++) mask[rows[i]] = 1;
    }
    return { hits: h.search(m, q, k, { mask, allowedCount: n }), method: 'hnsw', candidates: n };
  }
}
