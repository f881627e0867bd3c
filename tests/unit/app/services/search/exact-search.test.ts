// Certified exact search equals float32 brute force, row for row, on clustered vectors (the hard case:
// many near-equal scores), on a filtered subset, on tiny sets, and when the int8 pass must widen.
import { describe, expect, it } from 'vitest';
import { VectorMatrix, exactSearch, bruteForceSearch, SearchError, type ExactSearchStats } from '../../../../../app/services/search/index.js';
import { clusteredVectors } from '../../../../../bench/lib/clustered-vectors.js';

const keysOf = (n: number) => Float64Array.from({ length: n }, (_, i) => 1000 + i * 3);

describe('exactSearch', () => {
  const { data, dims } = clusteredVectors(6000, 64, 30, 7);
  const m = VectorMatrix.fromRows(dims, keysOf(6000), data);

  it('returns exactly the brute-force top k (keys and scores) for many queries', () => {
    for (let qi = 0; qi < 60; qi++) {
      const q = m.row(qi * 97);
      const exact = exactSearch(m, q, 10, { directBelow: 0 });
      const brute = bruteForceSearch(m, q, 10);
      expect(exact.map((h) => h.key)).toEqual(brute.map((h) => h.key));
      exact.forEach((h, i) => expect(h.score).toBeCloseTo(brute[i].score, 6));
      expect(exact[0].key).toBe(m.keys[qi * 97]);
      expect(exact[0].score).toBeCloseTo(1, 6);
    }
  });

  it('is exact for queries that are not rows, and with k larger than the first pass', () => {
    const { data: qs } = clusteredVectors(20, 64, 30, 99);
    for (let i = 0; i < 20; i++) {
      const q = qs.subarray(i * 64, (i + 1) * 64);
      for (const k of [1, 5, 100]) {
        expect(exactSearch(m, q, k, { directBelow: 0 }).map((h) => h.key)).toEqual(bruteForceSearch(m, q, k).map((h) => h.key));
      }
    }
  });

  it('widens the int8 pass until the bound proves the result (near-duplicate rows)', () => {
    // 2000 copies of one direction with tiny perturbations: int8 cannot tell them apart, float32 can.
    const base = m.row(0);
    const rows = new Float32Array(2000 * 64);
    for (let i = 0; i < 2000; i++) for (let j = 0; j < 64; j++) rows[i * 64 + j] = base[j] + 1e-4 * Math.sin(i * 7.1 + j);
    const dup = VectorMatrix.fromRows(64, keysOf(2000), rows);
    const stats: ExactSearchStats = { rescored: 0, passes: 0 };
    const q = dup.row(123);
    const got = exactSearch(dup, q, 10, { directBelow: 0 }, stats);
    expect(got.map((h) => h.key)).toEqual(bruteForceSearch(dup, q, 10).map((h) => h.key));
    expect(stats.passes).toBeGreaterThan(1);
  });

  it('searches only the filtered rows', () => {
    const rows = Int32Array.from({ length: 600 }, (_, i) => i * 10 + 3);
    const allowed = new Set(Array.from(rows, (r) => m.keys[r]));
    for (let qi = 0; qi < 20; qi++) {
      const q = m.row(qi * 50);
      const got = exactSearch(m, q, 10, { rows, directBelow: 0 });
      expect(got.every((h) => allowed.has(h.key))).toBe(true);
      expect(got.map((h) => h.key)).toEqual(bruteForceSearch(m, q, 10, rows).map((h) => h.key));
    }
  });

  it('handles sets smaller than k and refuses zero vectors by key', () => {
    const small = VectorMatrix.fromRows(3, [5, 6], new Float32Array([1, 0, 0, 0, 2, 0]));
    expect(exactSearch(small, [1, 1, 0], 10).map((h) => h.key)).toEqual([5, 6]);
    expect(() => VectorMatrix.fromRows(3, [9], new Float32Array(3))).toThrow(/key 9.*all zeros/);
    expect(() => exactSearch(small, [0, 0, 0], 1)).toThrow(SearchError);
    expect(() => exactSearch(small, [1, 0], 1)).toThrow(/2 dimensions; the vectors have 3/);
  });
});
