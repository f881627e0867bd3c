// Plain data types of labels (app/services/labels) and evaluation (app/services/evaluate).
import type { EmbeddingModel } from './embed.js';

export interface LabelKey {
  key: string;
  /** Series labelled with this key. */
  series: number;
  /** Distinct values, with how many series have each (most frequent first, at most 50). */
  values: { value: string; count: number }[];
  /** Where the values came from: 'csv:<file name>' or 'dicom:<attribute>' (the latest import). */
  source: string;
}

export interface LabelImportResult {
  keys: string[];
  /** CSV data rows, rows matched to a series, labels written. */
  rows: number;
  matched: number;
  written: number;
  /** Rows that matched no catalogued series or had no value (first 50), with the reason. */
  unmatched: { line: number; reason: string }[];
  /** How rows were matched: by series UID, source path or series id. */
  matchedBy: 'series_uid' | 'source_path' | 'series_id';
}

/** Retrieval metrics of one model's embeddings against one label key (app/services/evaluate/metrics.ts). */
export interface RetrievalFigures {
  /** Labelled items used (rows without a label are left out). */
  queries: number;
  /** Queries with at least one other item of the same label (the recall/mAP denominator). */
  withRelevant: number;
  /** Distinct labels. */
  classes: number;
  /** kNN accuracy at k = 1, 5, 20. */
  knn: Record<string, number>;
  /** recall at k = 1, 5, 10. */
  recall: Record<string, number>;
  mAP: number;
}

export interface EvalResult {
  model: EmbeddingModel;
  label: string;
  figures: RetrievalFigures;
  /** The same figures for a randomly initialised encoder of the same architecture, same inputs. */
  baseline: { model: EmbeddingModel; figures: RetrievalFigures; bnStatistics: 're-estimated' | 'init'; note: string } | null;
  /** Labelled series without an embedding (left out). */
  missing: number;
  at: string;
}

/** A model's embedding space in 2-D (first two principal components), each point a series with its label. */
export interface EmbeddingProjection {
  model: number;
  label: string | null;
  explained: [number, number];
  /** At most 5000 points (an even sample of larger sets). */
  points: { seriesId: number; x: number; y: number; label: string | null; description: string }[];
  total: number;
}
