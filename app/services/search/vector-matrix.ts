// A set of embedding vectors held for search: keys (catalogue ids), the unit-normalised float32 rows
// (cosine similarity = dot product), and an int8 copy for the fast first pass of exact search.
//
// int8 quantisation: one global scale s = 127 / max|x| over the rows (one scale keeps the integer dot
// product proportional to the float one, so usearch's integer kernel ranks correctly). Each row keeps the
// norm of its quantisation residual r = ||x - q/s||; exact-search.ts turns these into an error bound
// (Cauchy-Schwarz), so the int8 pass never changes a result, it only prunes (a clamped value is covered too).
import { SearchError } from './errors.js';

export interface VectorMatrixData {
  dims: number;
  keys: Float64Array;
  /** count x dims, unit-normalised rows. */
  f32: Float32Array;
}

export class VectorMatrix {
  readonly dims: number;
  readonly keys: Float64Array;
  readonly f32: Float32Array;
  /** count x dims int8 rows (own ArrayBuffer, byteOffset 0: usearch's exactSearch reads from the buffer start). */
  readonly i8: Int8Array;
  /** int8 = round(x * scale). */
  readonly scale: number;
  /** ||x - i8 / scale|| per row. */
  readonly residual: Float32Array;
  /** max of residual. */
  readonly maxResidual: number;
  #rowOf: Map<number, number> | undefined;

  /** Builds from raw (not necessarily normalised) rows; a zero or non-finite row is refused by key. */
  static fromRows(dims: number, keys: ArrayLike<number>, rows: Float32Array, name = 'vectors'): VectorMatrix {
    const n = keys.length;
    if (!Number.isInteger(dims) || dims <= 0) throw new SearchError(`${name}: dimension ${dims} is not a positive integer`);
    if (rows.length !== n * dims) {
      throw new SearchError(`${name}: ${rows.length} values do not make ${n} rows of ${dims} dimensions`);
    }
    const f32 = new Float32Array(n * dims);
    for (let i = 0; i < n; i++) {
      let s = 0;
      const o = i * dims;
      for (let j = 0; j < dims; j++) s += rows[o + j] * rows[o + j];
      if (!(s > 0) || !Number.isFinite(s)) {
        throw new SearchError(`${name}: the vector of key ${keys[i]} is ${s > 0 ? 'not finite' : 'all zeros'}; it has no direction to compare`);
      }
      const inv = 1 / Math.sqrt(s);
      for (let j = 0; j < dims; j++) f32[o + j] = rows[o + j] * inv;
    }
    return new VectorMatrix({ dims, keys: Float64Array.from(keys), f32 });
  }

  constructor(data: VectorMatrixData, scale?: number) {
    this.dims = data.dims;
    this.keys = data.keys;
    this.f32 = data.f32;
    const n = this.keys.length;
    let max = 0;
    for (let i = 0; i < this.f32.length; i++) {
      const a = Math.abs(this.f32[i]);
      if (a > max) max = a;
    }
    this.scale = scale ?? (max > 0 ? 127 / max : 127);
    this.i8 = new Int8Array(n * this.dims);
    this.residual = new Float32Array(n);
    let maxR = 0;
    for (let i = 0; i < n; i++) {
      const r = quantiseInto(this.f32, i * this.dims, this.dims, this.scale, this.i8);
      this.residual[i] = r;
      if (r > maxR) maxR = r;
    }
    this.maxResidual = maxR;
  }

  get count(): number {
    return this.keys.length;
  }

  /** Row index of a key, or -1. */
  rowOf(key: number): number {
    if (!this.#rowOf) {
      this.#rowOf = new Map();
      for (let i = 0; i < this.keys.length; i++) this.#rowOf.set(this.keys[i], i);
    }
    return this.#rowOf.get(key) ?? -1;
  }

  /** A copy of one row (unit-normalised). */
  row(i: number): Float32Array {
    return this.f32.slice(i * this.dims, (i + 1) * this.dims);
  }

  /** Dot product of row i with a unit query (the cosine similarity). */
  dot(i: number, q: Float32Array): number {
    const o = i * this.dims;
    let s = 0;
    for (let j = 0; j < this.dims; j++) s += this.f32[o + j] * q[j];
    return s;
  }
}

/** Quantises src[o..o+d) into dst at the same offset; returns the residual norm. */
export function quantiseInto(src: Float32Array, o: number, d: number, scale: number, dst: Int8Array, dstOffset = o): number {
  let r = 0;
  for (let j = 0; j < d; j++) {
    const v = src[o + j];
    const q = Math.max(-127, Math.min(127, Math.round(v * scale)));
    dst[dstOffset + j] = q;
    const e = v - q / scale;
    r += e * e;
  }
  return Math.sqrt(r);
}

/** A unit-normalised copy of a query; SearchError for a zero, non-finite or mis-sized vector. */
export function normaliseQuery(q: ArrayLike<number>, dims: number): Float32Array {
  if (q.length !== dims) throw new SearchError(`the query has ${q.length} dimensions; the vectors have ${dims}`);
  let s = 0;
  for (let j = 0; j < dims; j++) s += q[j] * q[j];
  if (!(s > 0) || !Number.isFinite(s)) throw new SearchError('the query vector is all zeros or not finite');
  const inv = 1 / Math.sqrt(s);
  const out = new Float32Array(dims);
  for (let j = 0; j < dims; j++) out[j] = q[j] * inv;
  return out;
}
