// retrievalMetrics with a gallery / query split (the kNN-classifier protocol the pretrain quality bench uses: held-out
// eval crops query the labelled train crops only), checked on a hand-computed 2-D example.
import { describe, expect, it } from 'vitest';
import { retrievalMetrics } from '../../../../../app/services/evaluate/index.js';

describe('retrievalMetrics with split', () => {
  // gallery: g0 (1, 0) A, g1 (0, 1) B, g2 (0.9, 0.1) B; queries: q0 (1, 0.05) A, q1 (0.7, 0.7) A
  const vectors = Float32Array.from([1, 0, 0, 1, 0.9, 0.1, 1, 0.05, 0.7, 0.7]);
  const labels = ['A', 'B', 'B', 'A', 'A'];
  const split = ['gallery', 'gallery', 'gallery', 'query', 'query'] as const;

  it('queries search the gallery only', () => {
    const m = retrievalMetrics(2, vectors, labels, { split, knnK: [1], recallK: [1, 5] });
    // q0: cos to g0 0.99875 > g2 0.99816 -> A, right. q1: g2 0.7809 > g0 = g1 0.7071 (tie: lower row first) -> B,
    // wrong; its first A (g0) is at rank 2: recall@1 misses, recall@5 hits. q1 never finds q0 (not in the gallery).
    expect(m).toMatchObject({ queries: 2, withRelevant: 2, classes: 2 });
    expect(m.knn[1]).toBe(0.5);
    expect(m.recall[1]).toBe(0.5);
    expect(m.recall[5]).toBe(1);
    expect(m.mAP).toBeCloseTo((1 + 1 / 2) / 2, 12);
  });

  it('without a split every row queries every other (leave-one-out), as before', () => {
    const m = retrievalMetrics(2, vectors, labels, { knnK: [1], recallK: [1] });
    expect(m.queries).toBe(5);
    // nearest: g0 -> q0 (A, right); g1 -> q1 (A, wrong); g2 -> q0 (A, wrong); q0 -> g0 (A, right);
    // q1 -> g2 (0.7809 > q0's 0.7415: B, wrong)
    expect(m.knn[1]).toBeCloseTo(2 / 5, 12);
  });
});
