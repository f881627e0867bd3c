// The 2-D PCA projection against numpy's SVD on clustered vectors: same explained variance, same coordinates up
// to each component's sign.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { pca2 } from '../../../../../app/services/evaluate/index.js';
import { clusteredVectors } from '../../../../../bench/lib/clustered-vectors.js';

describe('pca2', () => {
  it('matches numpy SVD of the centred unit vectors', () => {
    const { data, dims } = clusteredVectors(200, 24, 5, 9, 1.2);
    const ours = pca2(dims, data);
    const py = `
import json, sys, numpy as np
d = json.load(sys.stdin); X = np.asarray(d['v'], dtype=np.float64).reshape(-1, d['dims'])
X /= np.linalg.norm(X, axis=1, keepdims=True); X -= X.mean(0)
U, S, Vt = np.linalg.svd(X, full_matrices=False)
print(json.dumps({'coords': (X @ Vt[:2].T).ravel().tolist(), 'explained': (S[:2] ** 2 / (S ** 2).sum()).tolist()}))`;
    const ref = JSON.parse(execFileSync('/usr/bin/python3', ['-c', py], { input: JSON.stringify({ dims, v: Array.from(data) }), encoding: 'utf8' })) as {
      coords: number[];
      explained: number[];
    };
    expect(ours.explained[0]).toBeCloseTo(ref.explained[0], 6);
    expect(ours.explained[1]).toBeCloseTo(ref.explained[1], 6);
    for (const c of [0, 1]) {
      const sign = Math.sign(ours.coords[c] * ref.coords[c]) || 1;
      for (let i = 0; i < 200; i++) expect(ours.coords[i * 2 + c]).toBeCloseTo(sign * ref.coords[i * 2 + c], 5);
    }
  });
});
