import usearch from 'usearch';
const N = +process.argv[2], D = 512, C = 1000;
function rng(seed){ let s = seed>>>0; return () => { s = (s + 0x6D2B79F5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; }; }
const r = rng(1); const gauss = () => { let u = r() || 1e-9, v = r(); return Math.sqrt(-2*Math.log(u))*Math.cos(2*Math.PI*v); };
const cent = new Float32Array(C*D); for (let i=0;i<cent.length;i++) cent[i]=gauss();
const data = new Float32Array(N*D);
for (let i=0;i<N;i++){ const c = Math.floor(r()*C); let s=0; for (let j=0;j<D;j++){ const v = cent[c*D+j] + 0.8*gauss(); data[i*D+j]=v; s+=v*v;} s=1/Math.sqrt(s); for (let j=0;j<D;j++) data[i*D+j]*=s; }
let mx = 0; for (let i=0;i<data.length;i++) mx = Math.max(mx, Math.abs(data[i]));
const scaled = new Float32Array(data.length); for (let i=0;i<data.length;i++) scaled[i]=data[i]/mx;
const keys = new BigUint64Array(N); for (let i=0;i<N;i++) keys[i]=BigInt(i);
const Q = 200; const gt = [];
for (let q=0;q<Q;q++){ const qi = Math.floor(r()*N); const qv = data.slice(qi*D, qi*D+D); const e = usearch.exactSearch(data, qv, D, 10, 'ip', 2); gt.push({qv, keys: new Set(Array.from(e.keys, Number))}); }
for (const [quant, conn, ea, es] of [['i8', 16, 128, 64], ['f16', 16, 128, 64]]) {
  const idx = new usearch.Index({ dimensions: D, metric: 'cos', quantization: quant, connectivity: conn, expansion_add: ea, expansion_search: es });
  let t0 = performance.now(); idx.add(keys, quant === 'i8' ? scaled : data, 2); const build = (performance.now()-t0)/1000;
  for (const kk of [10, 40]) {
  const lat=[]; let hit=0;
  for (const g of gt){ const t=performance.now(); const m = idx.search(g.qv, kk, 1);
    // rescoring in f32
    const cand = Array.from(m.keys, Number).map(k => { let s=0; for (let j=0;j<D;j++) s+=data[k*D+j]*g.qv[j]; return [k,s]; }).sort((a,b)=>b[1]-a[1]).slice(0,10);
    lat.push(performance.now()-t); for (const [k] of cand) if (g.keys.has(k)) hit++; }
  lat.sort((a,b)=>a-b);
  console.log(quant, conn, ea, es, 'k', kk, 'build s', build.toFixed(1), 'rate', (N/build).toFixed(0), 'recall', (hit/(Q*10)).toFixed(4), 'p50', lat[Q/2].toFixed(3), 'p95', lat[Math.floor(Q*0.95)].toFixed(3));
  }
}
console.log(process.memoryUsage().rss/1e9);
