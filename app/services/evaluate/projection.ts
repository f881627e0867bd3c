// A 2-D picture of an embedding space: the first two principal components (PCA of the centred, unit-normalised
// vectors, as the search ranks by cosine), by power iteration on X^T X with deflation (Golub & Van Loan,
// "Matrix Computations" §8.2; each product X^T (X v) costs O(N D), no D x D covariance is formed). Deterministic:
// the start vector is fixed, and each component's sign is chosen so its largest-magnitude loading is positive.

export interface Projection2d {
  /** count x 2: the coordinates of each row on the two components. */
  coords: Float64Array;
  /** Fraction of the total variance each component explains. */
  explained: [number, number];
}

export function pca2(dims: number, vectors: Float32Array, iterations = 200): Projection2d {
  const n = vectors.length / dims;
  const x = new Float64Array(n * dims);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < dims; j++) s += vectors[i * dims + j] ** 2;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let j = 0; j < dims; j++) x[i * dims + j] = vectors[i * dims + j] * inv;
  }
  const mean = new Float64Array(dims);
  for (let i = 0; i < n; i++) for (let j = 0; j < dims; j++) mean[j] += x[i * dims + j] / n;
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dims; j++) {
      x[i * dims + j] -= mean[j];
      total += x[i * dims + j] ** 2;
    }
  }
  const comps: Float64Array[] = [];
  const values: number[] = [];
  const xv = new Float64Array(n);
  for (let c = 0; c < 2; c++) {
    let v = new Float64Array(dims).map((_, j) => 1 + ((j * 7919) % 13) / 13);
    let lambda = 0;
    for (let it = 0; it < iterations; it++) {
      // w = X^T X v, minus the found components (deflation).
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < dims; j++) s += x[i * dims + j] * v[j];
        xv[i] = s;
      }
      const w = new Float64Array(dims);
      for (let i = 0; i < n; i++) for (let j = 0; j < dims; j++) w[j] += x[i * dims + j] * xv[i];
      for (let p = 0; p < comps.length; p++) {
        let d = 0;
        for (let j = 0; j < dims; j++) d += comps[p][j] * w[j];
        for (let j = 0; j < dims; j++) w[j] -= d * comps[p][j];
      }
      const norm = Math.hypot(...w);
      if (!(norm > 0)) break;
      lambda = norm;
      v = w.map((e) => e / norm);
    }
    let big = 0;
    for (let j = 0; j < dims; j++) if (Math.abs(v[j]) > Math.abs(v[big])) big = j;
    if (v[big] < 0) v = v.map((e) => -e);
    comps.push(v);
    values.push(lambda);
  }
  const coords = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 2; c++) {
      let s = 0;
      for (let j = 0; j < dims; j++) s += x[i * dims + j] * comps[c][j];
      coords[i * 2 + c] = s;
    }
  }
  return { coords, explained: [total > 0 ? values[0] / total : 0, total > 0 ? values[1] / total : 0] };
}
