// Plain data types of similar-scan search (app/services/search).
import type { EmbeddingModel } from './embed.js';
import type { SeriesRow } from './series.js';

export interface SearchHitRow {
  /** 1-based. */
  rank: number;
  /** Cosine similarity of the embeddings, in [-1, 1] (1: the same direction). */
  score: number;
  series: SeriesRow;
}

export interface SearchResult {
  model: EmbeddingModel;
  /** The query: a catalogued series, or a file embedded on the fly (not imported). */
  query: { series: SeriesRow | null; path: string | null };
  k: number;
  /** 'exact' (certified exact cosine search) or 'hnsw' (the approximate graph, rescored). */
  method: 'exact' | 'hnsw';
  /** Embedded series the filter kept (what the ranking chose from). */
  candidates: number;
  hits: SearchHitRow[];
  /** Wall milliseconds of the search itself (vector set loading excluded). */
  ms: number;
}
