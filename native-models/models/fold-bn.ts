// Folding inference BatchNorm into the preceding convolution (e.g. Jacob et al. 2018, §3.2; the standard
// conv-BN fusion): with s = gamma / sqrt(running_var + eps) per output channel,
//   W' = W * s[o],   b' = (b - running_mean) * s + beta   (b = 0 when the conv has no bias).
// Computed on the host in float64 and stored as initializers `<conv>.weight` and `<conv>.bias` (the folded
// values replace the originals in the inference graph; training graphs never fold).
import type { Value } from '../ir/graph.js';
import type { TensorData } from '../ir/tensor.js';
import type { ParamSource } from './params.js';

export function foldBatchNorm(p: ParamSource, conv: string, bn: string, hasBias: boolean, eps: number): { w: Value; b: Value } {
  const w = p.host(`${conv}.weight`);
  const gamma = p.host(`${bn}.weight`).data;
  const beta = p.host(`${bn}.bias`).data;
  const rm = p.host(`${bn}.running_mean`).data;
  const rv = p.host(`${bn}.running_var`).data;
  const bias = hasBias ? p.host(`${conv}.bias`).data : undefined;
  const cout = w.dims[0];
  const per = w.data.length / cout;
  const wf = new Float64Array(w.data.length);
  const bf = new Float64Array(cout);
  for (let o = 0; o < cout; o++) {
    const s = Number(gamma[o]) / Math.sqrt(Number(rv[o]) + eps);
    for (let i = 0; i < per; i++) wf[o * per + i] = Number(w.data[o * per + i]) * s;
    bf[o] = ((bias ? Number(bias[o]) : 0) - Number(rm[o])) * s + Number(beta[o]);
  }
  const wt: TensorData = { dtype: 'float64', dims: [...w.dims], data: wf };
  const bt: TensorData = { dtype: 'float64', dims: [cout], data: bf };
  return { w: p.derived(`${conv}.weight`, wt), b: p.derived(`${conv}.bias`, bt) };
}
