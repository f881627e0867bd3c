// Exact cosine top-k over a VectorMatrix (or a subset of its rows), certified: a fast int8 pass (usearch's
// exactSearch, SIMD integer dot products) picks C candidates, float32 rescoring ranks them, and a bound
// proves no other row can enter the top k; when the proof fails C grows (x4) until it holds or every row
// has been rescored. So results equal a float32 brute-force scan, at about a quarter of its memory traffic.
//
// Bound (Cauchy-Schwarz): with unit q, x and their int8 reconstructions q^, x^,
//   <q,x> - <q^,x^> = <q, x - x^> + <q - q^, x^>,   |.| <= r_x + r_q (1 + r_x) <= E := R + r_q (1 + R)
// where r = ||v - v^|| and R is the largest row residual. A row outside the C best by <q^,x^> has
// <q^,x^> <= a_C, so <q,x> <= a_C + E; if a_C + E < L (the k-th best rescored score) it cannot be in the top k.
import os from 'node:os';
import usearch from 'usearch';
import { normaliseQuery, quantiseInto, type VectorMatrix } from './vector-matrix.js';

export interface SearchHit {
  key: number;
  row: number;
  /** Cosine similarity, in [-1, 1]. */
  score: number;
}

export interface ExactSearchOptions {
  /** Only these rows (ascending or not; a filter's rows). Default: every row. */
  rows?: Int32Array;
  /** Threads for the int8 pass (default min(4, cores)). */
  threads?: number;
  /** Below this many rows a plain float32 scan is used (default 512). */
  directBelow?: number;
}

export interface ExactSearchStats {
  /** Candidates rescored in float32 (= rows for the plain scan). */
  rescored: number;
  /** int8 passes made (0 for the plain scan). */
  passes: number;
}

const defaultThreads = () => Math.max(1, Math.min(4, os.availableParallelism?.() ?? os.cpus().length));

/** Exact top-k of a query (normalised here) by cosine similarity; ties broken by smaller key. */
export function exactSearch(
  m: VectorMatrix,
  query: ArrayLike<number>,
  k: number,
  opts: ExactSearchOptions = {},
  stats?: ExactSearchStats,
): SearchHit[] {
  const q = normaliseQuery(query, m.dims);
  const rows = opts.rows;
  const n = rows ? rows.length : m.count;
  const want = Math.min(k, n);
  if (want <= 0) return [];
  const rowAt = rows ? (i: number) => rows[i] : (i: number) => i;

  if (n <= (opts.directBelow ?? 512)) {
    const all: SearchHit[] = [];
    for (let i = 0; i < n; i++) {
      const r = rowAt(i);
      all.push({ key: m.keys[r], row: r, score: m.dot(r, q) });
    }
    if (stats) Object.assign(stats, { rescored: n, passes: 0 });
    return topOf(all, want);
  }

  // int8 query at its own scale (the scale is constant over rows, so the ranking is unaffected).
  let qmax = 0;
  for (let j = 0; j < m.dims; j++) qmax = Math.max(qmax, Math.abs(q[j]));
  const qs = 127 / qmax;
  const q8 = new Int8Array(m.dims);
  const rq = quantiseInto(q, 0, m.dims, qs, q8, 0);

  // The rows to scan, contiguous from byte 0 (usearch ignores a typed array's byteOffset).
  let data = m.i8;
  let maxR = m.maxResidual;
  if (rows) {
    data = new Int8Array(n * m.dims);
    maxR = 0;
    for (let i = 0; i < n; i++) {
      const r = rows[i];
      data.set(m.i8.subarray(r * m.dims, (r + 1) * m.dims), i * m.dims);
      if (m.residual[r] > maxR) maxR = m.residual[r];
    }
  }
  const bound = maxR + rq * (1 + maxR);
  const threads = opts.threads ?? defaultThreads();

  let c = Math.min(n, Math.max(4 * want, 64));
  for (let pass = 1; ; pass++) {
    const res = usearch.exactSearch(data, q8, m.dims, c, usearch.MetricKind.IP, threads) as InstanceType<typeof usearch.Matches>;
    // usearch's int8 'ip' distance is 1 - <q8, x8>.
    const hits: SearchHit[] = [];
    let lastApprox = Infinity;
    for (let i = 0; i < res.keys.length; i++) {
      const local = Number(res.keys[i]);
      const r = rowAt(local);
      const approx = (1 - res.distances[i]) / (qs * m.scale);
      if (approx < lastApprox) lastApprox = approx;
      hits.push({ key: m.keys[r], row: r, score: m.dot(r, q) });
    }
    const top = topOf(hits, want);
    const kth = top[top.length - 1].score;
    if (c >= n || lastApprox + bound < kth) {
      if (stats) Object.assign(stats, { rescored: hits.length, passes: pass });
      return top;
    }
    c = Math.min(n, c * 4);
  }
}

/** The k best hits, by score descending then key ascending. */
export function topOf(hits: SearchHit[], k: number): SearchHit[] {
  hits.sort((a, b) => b.score - a.score || a.key - b.key);
  return hits.slice(0, k);
}

/** Plain float32 brute force (the bench's peer and the tests' oracle): every row's dot product, best k kept. */
export function bruteForceSearch(m: VectorMatrix, query: ArrayLike<number>, k: number, rows?: Int32Array): SearchHit[] {
  const q = normaliseQuery(query, m.dims);
  const n = rows ? rows.length : m.count;
  const want = Math.min(k, n);
  const best: SearchHit[] = [];
  for (let i = 0; i < n; i++) {
    const r = rows ? rows[i] : i;
    const score = m.dot(r, q);
    if (best.length === want && !(score > best[want - 1].score || (score === best[want - 1].score && m.keys[r] < best[want - 1].key))) continue;
    const hit = { key: m.keys[r], row: r, score };
    let j = best.length < want ? best.length : want - 1;
    best[j] = hit;
    while (j > 0 && (best[j - 1].score < score || (best[j - 1].score === score && best[j - 1].key > hit.key))) {
      best[j] = best[j - 1];
      best[--j] = hit;
    }
  }
  return best;
}
