// Seeded clustered unit vectors for the search bench and tests: `clusters` centres drawn N(0, 1), each row a
// centre plus N(0, spread^2) noise, normalised. With spread 0.8 a row's cosine to its own centre is ~0.78
// and to other rows of its cluster ~0.6, like embeddings of similar scans; rows of other clusters ~0.
import { Philox } from '../../native-models/index.js';

export interface ClusteredVectors {
  dims: number;
  /** count x dims, unit rows. */
  data: Float32Array;
  /** Cluster of each row. */
  cluster: Int32Array;
}

export function clusteredVectors(count: number, dims: number, clusters: number, seed = 1, spread = 0.8): ClusteredVectors {
  const rng = new Philox(seed);
  const centres = new Float32Array(clusters * dims);
  for (let i = 0; i < centres.length; i++) centres[i] = rng.normal();
  const data = new Float32Array(count * dims);
  const cluster = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const c = Math.min(clusters - 1, Math.floor(rng.uniform() * clusters));
    cluster[i] = c;
    let s = 0;
    const o = i * dims;
    for (let j = 0; j < dims; j++) {
      const v = centres[c * dims + j] + spread * rng.normal();
      data[o + j] = v;
      s += v * v;
    }
    const inv = 1 / Math.sqrt(s);
    for (let j = 0; j < dims; j++) data[o + j] *= inv;
  }
  return { dims, data, cluster };
}
