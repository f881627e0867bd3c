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
  /** The query: a catalogued series, or a file embedded on the fly (not imported): a path, or an upload (web mode). */
  query: {
    series: SeriesRow | null;
    path: string | null;
    upload: string | null;
    /** What was embedded, in words: the file's name, and for DICOM the series and its slice count. */
    description: string;
  };
  k: number;
  /** 'exact' (certified exact cosine search) or 'hnsw' (the approximate graph, rescored). */
  method: 'exact' | 'hnsw';
  /** Embedded series the filter kept (what the ranking chose from). */
  candidates: number;
  hits: SearchHitRow[];
  /** Wall milliseconds of the search itself (vector set loading excluded). */
  ms: number;
}

/** A query file received by the web server (POST /api/upload?name=NAME), kept for a day in the data folder. */
export interface UploadRecord {
  upload: string;
  name: string;
  bytes: number;
}
