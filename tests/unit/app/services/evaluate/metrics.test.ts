// Retrieval metrics: a hand-worked case, and clustered vectors against an independent numpy computation.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { retrievalMetrics } from '../../../../../app/services/evaluate/index.js';
import { clusteredVectors } from '../../../../../bench/lib/clustered-vectors.js';

describe('retrievalMetrics', () => {
  it('computes kNN accuracy, recall@k and mAP on a hand-worked case', () => {
    // Angles 0, 10, 20 degrees (label a), 90, 100 (label b), 45 (label b), one unlabelled row.
    const deg = [0, 10, 20, 90, 100, 45, 5];
    const v = new Float32Array(deg.flatMap((d) => [Math.cos((d * Math.PI) / 180), Math.sin((d * Math.PI) / 180)]));
    const labels = ['a', 'a', 'a', 'b', 'b', 'b', null];
    const m = retrievalMetrics(2, v, labels, { knnK: [1, 3], recallK: [1, 2] });
    expect(m.queries).toBe(6);
    expect(m.classes).toBe(2);
    // Nearest: 0->10(a) ok, 10->0/20 (a) ok, 20->10 (a) ok, 90->100 (b) ok, 100->90 ok, 45->20 (a) wrong.
    expect(m.knn[1]).toBeCloseTo(5 / 6, 12);
    // 3-NN of 45: 20(a), 10(a), 0 or 90 (tie at 45 deg: row 0 first) -> a: wrong; of 20: 10, 0, 45 -> a ok.
    expect(m.knn[3]).toBeCloseTo(5 / 6, 12);
    expect(m.recall[1]).toBeCloseTo(5 / 6, 12);
    // 45's ranking: 20 a, 10 a, 0 a (|45-0| = 45 = |90-45|: row 0 before row 3), 90 b, 100 b -> 0-based ranks 3 and 4.
    expect(m.recall[2]).toBeCloseTo(5 / 6, 12);
    const ap45 = (1 / 4 + 2 / 5) / 2;
    // 90: 100 b (1/1), 45 b (rank 2: 1/... order 100(10), 45(45), 20(70)) -> AP 1. 100: 90, 45 -> AP 1.
    expect(m.mAP).toBeCloseTo((1 + 1 + 1 + 1 + 1 + ap45) / 6, 12);
  });

  it('matches an independent numpy computation on clustered vectors', () => {
    const n = 300;
    const { data, dims, cluster } = clusteredVectors(n, 16, 6, 5, 1.6);
    const labels = Array.from(cluster, (c, i) => (i % 17 === 0 ? null : `class-${c}`));
    const ours = retrievalMetrics(dims, data, labels);
    const oracle = JSON.parse(
      execFileSync('/usr/bin/python3', [path.join(import.meta.dirname, 'metrics_oracle.py')], {
        input: JSON.stringify({ dims, vectors: Array.from(data), labels }),
        encoding: 'utf8',
      }),
    ) as { knn: Record<string, number>; recall: Record<string, number>; mAP: number; withRelevant: number };
    for (const k of [1, 5, 20]) expect(ours.knn[k]).toBeCloseTo(oracle.knn[k], 12);
    for (const k of [1, 5, 10]) expect(ours.recall[k]).toBeCloseTo(oracle.recall[k], 12);
    expect(ours.mAP).toBeCloseTo(oracle.mAP, 10);
    expect(ours.withRelevant).toBe(oracle.withRelevant);
    // Not trivially perfect: the clusters overlap at this spread.
    expect(ours.knn[1]).toBeLessThan(1);
    expect(ours.knn[1]).toBeGreaterThan(0.3);
  });
});
