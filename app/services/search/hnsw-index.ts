// A persisted HNSW graph (usearch) over a VectorMatrix's keys, for sets beyond exact search's threshold.
//
// Choices (measured in bench/search.ts): cosine metric on int8 storage (a quarter of float32's memory and
// distance cost); usearch casts float to int8 as round(127 x), so rows go in divided by the largest |x|
// (`inputScale`, fixed at creation: cosine ignores a common factor); connectivity 16, expansion 128 on add
// and 64 on search (usearch searches at least as wide as the candidates asked for). The graph only proposes
// candidates: `search` rescores max(20k, 200) of them in float32 from the matrix, where int8 ranking alone gives
// ~0.87. Measured over 1M x 128 clustered vectors (bench/search.ts data, 200 held-out queries; scratch grid,
// load ~9 on 2 cores): expansion 64 on add saturates at recall@10 0.966 whatever the depth (0.874 at 100);
// expansion 128 gives 0.967 at depth 100 and 0.994 at 200 (p50 1.3 ms), for 1.7x the build time. At 200k,
// expansion 64 already gave 0.993 at depth 100.
//
// Incremental: `sync(matrix)` adds keys the graph lacks and removes keys the matrix no longer has (an
// embedding that changes gets a new key). Persisted whole-or-absent: the graph and its key list are
// written under a new generation's names (temp file, fsync, rename), then manifest.json names them
// (the commit point), then older generations are deleted.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import usearch from 'usearch';
import { SearchError } from './errors.js';
import { fsyncFile, writeFileWhole as writeWhole } from '../../platform/write-whole.js';
import { topOf, type SearchHit } from './exact-search.js';
import type { VectorMatrix } from './vector-matrix.js';

export interface HnswOptions {
  connectivity?: number;
  expansionAdd?: number;
  expansionSearch?: number;
  threads?: number;
}

interface Manifest {
  format: 'voxelbase-hnsw/1';
  dims: number;
  connectivity: number;
  expansionAdd: number;
  expansionSearch: number;
  inputScale: number;
  generation: number;
  graph: string;
  keys: string;
  /** Byte size and CRC-32 of the graph file: usearch's loader trusts its input (a damaged file can crash
   *  the process), so the file is checked before it is handed over. */
  graphBytes: number;
  graphCrc32: number;
}

export interface HnswSearchOptions {
  /** Only rows whose mask entry is 1 (a filter), with `allowedCount` ones. */
  mask?: Uint8Array;
  allowedCount?: number;
  /** Float32 rescoring depth (default max(20k, 200)). */
  candidates?: number;
}

export class HnswIndex {
  readonly dims: number;
  readonly options: Required<HnswOptions>;
  readonly inputScale: number;
  #index: InstanceType<typeof usearch.Index>;
  #keys = new Set<number>();
  #generation = 0;

  private constructor(dims: number, options: Required<HnswOptions>, inputScale: number) {
    this.dims = dims;
    this.options = options;
    this.inputScale = inputScale;
    this.#index = new usearch.Index({
      dimensions: dims,
      metric: usearch.MetricKind.Cos,
      quantization: usearch.ScalarKind.I8,
      connectivity: options.connectivity,
      expansion_add: options.expansionAdd,
      expansion_search: options.expansionSearch,
      multi: false,
    });
  }

  /** An empty graph sized for `m` (its int8 input scale comes from m's largest value). */
  static create(m: VectorMatrix, opts: HnswOptions = {}): HnswIndex {
    return new HnswIndex(m.dims, withDefaults(opts), m.scale / 127);
  }

  /** Opens the graph persisted in `dir`, or null when there is none (or it is for other dimensions). */
  static open(dir: string, dims: number, opts: HnswOptions = {}): HnswIndex | null {
    let man: Manifest;
    try {
      man = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
    } catch {
      return null;
    }
    if (man.format !== 'voxelbase-hnsw/1' || man.dims !== dims) return null;
    const o = withDefaults({ ...opts, connectivity: man.connectivity, expansionAdd: man.expansionAdd });
    const h = new HnswIndex(dims, { ...o, expansionSearch: opts.expansionSearch ?? man.expansionSearch }, man.inputScale);
    try {
      const graphFile = path.join(dir, man.graph);
      const bytes = fs.readFileSync(graphFile);
      if (bytes.length !== man.graphBytes || zlib.crc32(bytes) !== man.graphCrc32) {
        throw new Error(`${man.graph} does not match its manifest (size or CRC-32)`);
      }
      h.#index.load(graphFile);
      const buf = fs.readFileSync(path.join(dir, man.keys));
      const keys = new Float64Array(buf.buffer, buf.byteOffset, buf.byteLength / 8);
      h.#keys = new Set(keys);
    } catch (e) {
      throw new SearchError(`the search index in ${dir} is unreadable (${(e as Error).message}); delete the folder to rebuild it`);
    }
    if (h.#index.size() !== h.#keys.size) {
      throw new SearchError(`the search index in ${dir} holds ${h.#index.size()} vectors but lists ${h.#keys.size} keys; delete the folder to rebuild it`);
    }
    h.#generation = man.generation;
    return h;
  }

  get size(): number {
    return this.#keys.size;
  }

  has(key: number): boolean {
    return this.#keys.has(key);
  }

  /** Brings the graph in line with m: adds its new keys, removes keys m no longer has. */
  sync(m: VectorMatrix): { added: number; removed: number } {
    if (m.dims !== this.dims) throw new SearchError(`the index has ${this.dims} dimensions; the vectors have ${m.dims}`);
    const inM = new Set<number>();
    const addRows: number[] = [];
    for (let i = 0; i < m.count; i++) {
      const k = m.keys[i];
      inM.add(k);
      if (!this.#keys.has(k)) addRows.push(i);
    }
    const gone = [...this.#keys].filter((k) => !inM.has(k));
    if (gone.length) {
      this.#index.remove(BigUint64Array.from(gone, (k) => BigInt(k)));
      for (const k of gone) this.#keys.delete(k);
    }
    const chunk = 16384;
    for (let s = 0; s < addRows.length; s += chunk) {
      const part = addRows.slice(s, s + chunk);
      const vecs = new Float32Array(part.length * this.dims);
      part.forEach((r, i) => {
        for (let j = 0; j < this.dims; j++) vecs[i * this.dims + j] = Math.max(-1, Math.min(1, m.f32[r * this.dims + j] * this.inputScale));
      });
      this.#index.add(BigUint64Array.from(part, (r) => BigInt(m.keys[r])), vecs, this.options.threads);
      for (const r of part) this.#keys.add(m.keys[r]);
    }
    return { added: addRows.length, removed: gone.length };
  }

  /**
   * Approximate top-k of a unit query, rescored exactly from m. With a mask, the graph is asked for more
   * candidates (k / selectivity, doubling) until k allowed ones are found or every vector was asked for.
   */
  search(m: VectorMatrix, q: Float32Array, k: number, opts: HnswSearchOptions = {}): SearchHit[] {
    const total = this.#keys.size;
    if (!total || k <= 0) return [];
    const depth = opts.candidates ?? Math.max(20 * k, 200);
    const selectivity = opts.mask ? Math.max((opts.allowedCount ?? total) / Math.max(m.count, 1), 1e-6) : 1;
    let ask = Math.min(total, Math.ceil(depth / selectivity));
    const qs = new Float32Array(this.dims);
    for (let j = 0; j < this.dims; j++) qs[j] = q[j];
    for (;;) {
      const res = this.#index.search(qs, ask, this.options.threads) as InstanceType<typeof usearch.Matches>;
      const hits: SearchHit[] = [];
      for (let i = 0; i < res.keys.length; i++) {
        const key = Number(res.keys[i]);
        const row = m.rowOf(key);
        if (row < 0 || (opts.mask && !opts.mask[row])) continue;
        hits.push({ key, row, score: m.dot(row, q) });
        if (hits.length >= depth) break;
      }
      if (hits.length >= Math.min(depth, opts.allowedCount ?? total) || ask >= total) return topOf(hits, k);
      ask = Math.min(total, ask * 2);
    }
  }

  /** Writes the graph and its keys under a new generation in `dir`, then commits the manifest. */
  save(dir: string): void {
    fs.mkdirSync(dir, { recursive: true });
    const gen = this.#generation + 1;
    const graph = `hnsw-${gen}.usearch`;
    const keys = `hnsw-${gen}.keys`;
    const tmpGraph = path.join(dir, `${graph}.tmp`);
    this.#index.save(tmpGraph);
    fsyncFile(tmpGraph);
    const bytes = fs.readFileSync(tmpGraph);
    fs.renameSync(tmpGraph, path.join(dir, graph));
    writeWhole(path.join(dir, keys), Buffer.from(Float64Array.from(this.#keys).buffer));
    const man: Manifest = {
      format: 'voxelbase-hnsw/1',
      dims: this.dims,
      connectivity: this.options.connectivity,
      expansionAdd: this.options.expansionAdd,
      expansionSearch: this.options.expansionSearch,
      inputScale: this.inputScale,
      generation: gen,
      graph,
      keys,
      graphBytes: bytes.length,
      graphCrc32: zlib.crc32(bytes),
    };
    writeWhole(path.join(dir, 'manifest.json'), Buffer.from(JSON.stringify(man, null, 2)));
    this.#generation = gen;
    for (const f of fs.readdirSync(dir)) {
      const m = /^hnsw-(\d+)\.(usearch|keys)(\.tmp)?$/.exec(f);
      if (m && Number(m[1]) !== gen) fs.rmSync(path.join(dir, f), { force: true });
    }
  }
}

function withDefaults(o: HnswOptions): Required<HnswOptions> {
  return {
    connectivity: o.connectivity ?? 16,
    expansionAdd: o.expansionAdd ?? 128,
    expansionSearch: o.expansionSearch ?? 64,
    threads: o.threads ?? 0,
  };
}
