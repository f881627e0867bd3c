// Retrieval metrics of an embedding against labels, leave-one-out: each labelled vector queries every other
// labelled vector by cosine similarity (ties ordered by row). Pure and synchronous: the evaluate service,
// `voxelbase eval` and the pretrain engineer's quality bench all call this one implementation.
//
// - kNN accuracy@k (Wu et al. 2018; DINO's kNN protocol without temperature weighting): the majority label
//   of the k nearest neighbours (self excluded) equals the query's; a tie between labels goes to the one
//   with the larger summed similarity, then to the label of the nearest tied neighbour.
// - recall@k (the metric-learning Recall@K of Oh Song et al. 2016): a same-label item is among the k nearest.
// - mAP: the mean over queries of average precision over the whole ranking (AP = mean of precision@rank at
//   each same-label item's rank).
// Queries whose label no other item shares count for kNN accuracy (they can only be wrong) but not for
// recall@k and mAP (nothing relevant exists for them); `queries` and `withRelevant` say how many there were.
// With `split` (a kNN classifier's protocol, as DINO's: a labelled gallery, held-out queries), only the 'query'
// rows query, and only among the 'gallery' rows.
import type { RetrievalFigures } from '../../contract/types/labels.js';

/** The figures (contract type, so the wire and the pretrain bench share one shape). */
export type RetrievalMetrics = RetrievalFigures;

export interface MetricOptions {
  /** kNN accuracy at these k (default 1, 5, 20). */
  knnK?: number[];
  /** recall at these k (default 1, 5, 10). */
  recallK?: number[];
  /** Per row: 'query' rows search the 'gallery' rows only (default: every row searches every other). */
  split?: ReadonlyArray<'query' | 'gallery'>;
}

export const DEFAULT_KNN_K = [1, 5, 20];
export const DEFAULT_RECALL_K = [1, 5, 10];

/** Neighbour order of a query: the other rows by similarity descending, then by row ascending. */
export function neighbourOrder(sims: Float64Array, self: number): number[] {
  const order: number[] = [];
  for (let j = 0; j < sims.length; j++) if (j !== self) order.push(j);
  order.sort((a, b) => sims[b] - sims[a] || a - b);
  return order;
}

/** Majority label among the first k neighbours (ties: larger summed similarity, then nearest). */
export function majorityLabel(order: number[], sims: Float64Array, labels: readonly string[], k: number): string | undefined {
  const votes = new Map<string, { n: number; sum: number; first: number }>();
  const top = Math.min(k, order.length);
  for (let i = 0; i < top; i++) {
    const j = order[i];
    const v = votes.get(labels[j]);
    if (v) {
      v.n++;
      v.sum += sims[j];
    } else votes.set(labels[j], { n: 1, sum: sims[j], first: i });
  }
  let best: string | undefined;
  let bv: { n: number; sum: number; first: number } | undefined;
  for (const [label, v] of votes) {
    if (!bv || v.n > bv.n || (v.n === bv.n && (v.sum > bv.sum || (v.sum === bv.sum && v.first < bv.first)))) {
      best = label;
      bv = v;
    }
  }
  return best;
}

/**
 * Metrics of `vectors` (count x dims, row-major; normalised here) against `labels` (one per row).
 * Rows without a label are left out entirely.
 */
export function retrievalMetrics(
  dims: number,
  vectors: Float32Array,
  labels: ReadonlyArray<string | null | undefined>,
  opts: MetricOptions = {},
): RetrievalMetrics {
  const knnK = opts.knnK ?? DEFAULT_KNN_K;
  const recallK = opts.recallK ?? DEFAULT_RECALL_K;
  const keep: number[] = [];
  labels.forEach((l, i) => {
    if (l !== null && l !== undefined && l !== '') keep.push(i);
  });
  const n = keep.length;
  const lab = keep.map((i) => String(labels[i]));
  const unit = new Float64Array(n * dims);
  keep.forEach((r, i) => {
    let s = 0;
    for (let j = 0; j < dims; j++) s += vectors[r * dims + j] ** 2;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let j = 0; j < dims; j++) unit[i * dims + j] = vectors[r * dims + j] * inv;
  });
  const role = opts.split ? keep.map((r) => opts.split![r]) : null;
  const count = new Map<string, number>();
  lab.forEach((l, i) => {
    if (!role || role[i] === 'gallery') count.set(l, (count.get(l) ?? 0) + 1);
  });
  let queries = 0;

  const knnHits = knnK.map(() => 0);
  const recallHits = recallK.map(() => 0);
  let apSum = 0;
  let withRelevant = 0;
  const sims = new Float64Array(n);
  for (let q = 0; q < n; q++) {
    if (role && role[q] !== 'query') continue;
    queries++;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let d = 0; d < dims; d++) s += unit[q * dims + d] * unit[j * dims + d];
      sims[j] = s;
    }
    const all = neighbourOrder(sims, q);
    const order = role ? all.filter((j) => role[j] === 'gallery') : all;
    knnK.forEach((k, i) => {
      if (majorityLabel(order, sims, lab, k) === lab[q]) knnHits[i]++;
    });
    const relevant = role ? (count.get(lab[q]) ?? 0) : (count.get(lab[q]) ?? 1) - 1;
    if (!relevant) continue;
    withRelevant++;
    let firstHit = Infinity;
    let found = 0;
    let ap = 0;
    for (let i = 0; i < order.length && found < relevant; i++) {
      if (lab[order[i]] !== lab[q]) continue;
      if (firstHit === Infinity) firstHit = i;
      found++;
      ap += found / (i + 1);
    }
    apSum += ap / relevant;
    recallK.forEach((k, i) => {
      if (firstHit < k) recallHits[i]++;
    });
  }
  const knn: Record<number, number> = {};
  knnK.forEach((k, i) => (knn[k] = queries ? knnHits[i] / queries : 0));
  const recall: Record<number, number> = {};
  recallK.forEach((k, i) => (recall[k] = withRelevant ? recallHits[i] / withRelevant : 0));
  return { queries, withRelevant, classes: new Set(lab).size, knn, recall, mAP: withRelevant ? apSum / withRelevant : 0 };
}
