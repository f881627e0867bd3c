import { VectorMatrix, HnswIndex, exactSearch } from '/work/wt/search/app/services/search/index.js';
import { clusteredVectors } from '/work/wt/search/bench/lib/clustered-vectors.js';
const N = Number(process.argv[2] ?? 60000), D = 128, Q = 200;
const all = clusteredVectors(N + Q, D, 1000, 2);
const m = new VectorMatrix({ dims: D, keys: Float64Array.from({ length: N }, (_, i) => i + 1), f32: all.data.subarray(0, N * D) });
const qs = Array.from({ length: Q }, (_, i) => all.data.slice((N + i) * D, (N + i + 1) * D));
const truth = qs.map((q) => new Set(exactSearch(m, q, 10).map((h) => h.key)));
for (const ea of [64]) {
  const t0 = performance.now();
  const h = HnswIndex.create(m, { expansionAdd: ea, expansionSearch: 64 });
  h.sync(m);
  console.log('build', ea, ((performance.now() - t0) / 1000).toFixed(1), 's');
  for (const [es, depth] of [[64, 40], [64, 64], [64, 100], [64, 128]]) {
    const h2 = HnswIndex.create(m, { expansionAdd: ea, expansionSearch: es });
    // reuse graph: can't change es on built index via API; rebuild cost too high -> use candidates only
    void h2;
    let hit = 0; const t1 = performance.now();
    for (let i = 0; i < Q; i++) {
      const q = new Float32Array(qs[i]); let s = 0; for (const v of q) s += v * v; const qq = q.map((v) => v / Math.sqrt(s));
      hit += h.search(m, qq, 10, { candidates: depth }).filter((x) => truth[i].has(x.key)).length;
    }
    console.log('ea', ea, 'es(fixed 64)', es, 'depth', depth, 'recall', (hit / (Q * 10)).toFixed(4), 'ms/q', ((performance.now() - t1) / Q).toFixed(2));
  }
}
