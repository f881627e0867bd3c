// The HNSW path: recall@10 against exact search on clustered vectors, persistence (whole files, reopened
// without rebuilding), incremental sync (new keys added, dropped keys never returned), and filters.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HnswIndex, VectorMatrix, VectorSearch, bruteForceSearch } from '../../../../../app/services/search/index.js';
import { clusteredVectors } from '../../../../../bench/lib/clustered-vectors.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-hnsw-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const N = 5000;
const D = 48;
const { data } = clusteredVectors(N, D, 40, 3);
const keys = Float64Array.from({ length: N }, (_, i) => i + 1);

function recallAt10(search: (q: Float32Array) => number[], m: VectorMatrix, queries: number): number {
  let hit = 0;
  for (let i = 0; i < queries; i++) {
    const q = m.row((i * 131) % m.count);
    const truth = new Set(bruteForceSearch(m, q, 10).map((h) => h.key));
    hit += search(q).filter((k) => truth.has(k)).length;
  }
  return hit / (queries * 10);
}

describe('HnswIndex', () => {
  const m = VectorMatrix.fromRows(D, keys, data);
  const dir = path.join(tmp, 'set-a');

  it('reaches recall@10 >= 0.99 against exact search, through VectorSearch beyond its threshold', () => {
    const vs = new VectorSearch(m, { exactUpTo: 1000, indexDir: dir });
    const r = vs.search(m.row(0), 10);
    expect(r.method).toBe('hnsw');
    expect(r.hits[0].key).toBe(1);
    expect(r.hits[0].score).toBeCloseTo(1, 6);
    const recall = recallAt10((q) => vs.search(q, 10).hits.map((h) => h.key), m, 200);
    expect(recall).toBeGreaterThanOrEqual(0.99);
    expect(fs.existsSync(path.join(dir, 'manifest.json'))).toBe(true);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('reopens the persisted graph without rebuilding, and syncs only the difference', () => {
    const h = HnswIndex.open(dir, D)!;
    expect(h.size).toBe(N);
    // Drop the first 100 keys, add 100 new ones (as re-embedded series get new keys).
    const { data: extra } = clusteredVectors(100, D, 40, 11);
    const rows2 = new Float32Array((N - 100 + 100) * D);
    rows2.set(data.subarray(100 * D));
    rows2.set(extra, (N - 100) * D);
    const keys2 = Float64Array.from({ length: N }, (_, i) => (i < N - 100 ? i + 101 : 100000 + i));
    const m2 = VectorMatrix.fromRows(D, keys2, rows2);
    expect(h.sync(m2)).toEqual({ added: 100, removed: 100 });
    h.save(dir);
    const again = HnswIndex.open(dir, D)!;
    expect(again.size).toBe(N);
    expect(again.has(1)).toBe(false);
    expect(again.has(100000 + N - 1)).toBe(true);
    expect(again.sync(m2)).toEqual({ added: 0, removed: 0 });
    // A new key is found first for its own vector; a removed key never comes back.
    const newRow = m2.rowOf(100000 + N - 1);
    expect(again.search(m2, m2.row(newRow), 5)[0].key).toBe(100000 + N - 1);
    const res = again.search(m2, VectorMatrix.fromRows(D, [1], data.slice(0, D)).row(0), 50);
    expect(res.some((hit) => hit.key <= 100)).toBe(false);
    // Only one generation of files is left.
    expect(fs.readdirSync(dir).sort()).toEqual(['hnsw-2.keys', 'hnsw-2.usearch', 'manifest.json']);
  });

  it('combines a filter with the ranking (exact below the threshold, graph + filter above)', () => {
    const vs = new VectorSearch(m, { exactUpTo: 1000 });
    const small = Int32Array.from({ length: 50 }, (_, i) => i * 100); // 1% of rows: searched exactly
    const r1 = vs.search(m.row(7), 10, small);
    expect(r1.method).toBe('exact');
    expect(r1.hits.map((h) => h.key)).toEqual(bruteForceSearch(m, m.row(7), 10, small).map((h) => h.key));
    const half = Int32Array.from({ length: N / 2 }, (_, i) => i * 2); // 50%: graph, then filter
    const allowed = new Set(Array.from(half, (r) => m.keys[r]));
    let hit = 0;
    for (let i = 0; i < 50; i++) {
      const q = m.row(i * 37);
      const r = vs.search(q, 10, half);
      expect(r.method).toBe('hnsw');
      expect(r.hits).toHaveLength(10);
      expect(r.hits.every((h) => allowed.has(h.key))).toBe(true);
      const truth = new Set(bruteForceSearch(m, q, 10, half).map((h) => h.key));
      hit += r.hits.filter((h) => truth.has(h.key)).length;
    }
    expect(hit / 500).toBeGreaterThanOrEqual(0.99);
  });

  it('refuses a corrupt persisted graph with a message naming the folder', () => {
    const bad = path.join(tmp, 'bad');
    fs.mkdirSync(bad);
    fs.copyFileSync(path.join(dir, 'manifest.json'), path.join(bad, 'manifest.json'));
    fs.writeFileSync(path.join(bad, 'hnsw-2.usearch'), Buffer.from('not a graph'));
    fs.copyFileSync(path.join(dir, 'hnsw-2.keys'), path.join(bad, 'hnsw-2.keys'));
    expect(() => HnswIndex.open(bad, D)).toThrow(new RegExp(`index in ${bad}.*delete the folder`));
  });
});
