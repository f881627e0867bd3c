// Sub-pixel (polyphase) input gradient of a strided Conv: instead of dilating dy with zeros (s^r times the
// work) or ConvTranspose, dx is split by output phase r = i mod s along each axis. Each phase is a stride-1
// correlation of dy with the taps k = k0_r + s t of w (k0_r = (r + pb) mod s), so all s^3 phases are ONE Conv
// with s^3 * C output channels, followed by a depth-to-space interleave (Reshape/Transpose/Reshape) and a crop.
// (Derivation: dx[s m + r] = sum_t dy[m + q_r - t] w[k0_r + s t], q_r = (r + pb - k0_r) / s; the same
// decomposition as "sub-pixel convolution", Shi et al. 2016, and the polyphase form of a transposed conv.)
// The phase kernels are gathered from w with a constant 0/1 selection matrix (one small MatMul), so w stays a
// differentiable graph value.
import type { GraphBuilder } from './builder.js';
import { rawConv } from './conv-raw.js';
import type { Value } from '../ir/graph.js';
import { tensor } from '../ir/tensor.js';

export interface AxisPlan {
  /** Kernel taps per phase in the common kernel: tap[r][j] = index into w's axis, or -1 for a zero tap. */
  tap: number[][];
  /** Common sub-kernel size. */
  size: number;
  padBegin: number;
  padEnd: number;
  /** Outputs per phase (max over phases) = ceil(D / s). */
  m: number;
}

/** Pure per-axis plan for kernel K, stride s, begin pad pb, input size D and dy size Dy (dilation 1). */
export function planAxis(K: number, s: number, pb: number, D: number, Dy: number): AxisPlan | undefined {
  const phases = Array.from({ length: s }, (_, r) => {
    const k0 = (((r + pb) % s) + s) % s;
    const T = k0 < K ? Math.ceil((K - k0) / s) : 0;
    const q = (r + pb - k0) / s;
    return { k0, T, start: q - (T - 1) };
  });
  const live = phases.filter((p) => p.T > 0);
  if (live.length === 0) return undefined;
  const S = Math.min(...live.map((p) => p.start));
  if (S > 0) return undefined; // would need cropping dy; not needed for ResNet-style pads
  const size = Math.max(...live.map((p) => p.start - S + p.T));
  const tap = phases.map((p) => {
    const row = new Array<number>(size).fill(-1);
    // correlation index j reads dy[m + S + j]; tap t sits at j = (start - S) + (T - 1 - t)
    for (let t = 0; t < p.T; t++) row[p.start - S + (p.T - 1 - t)] = p.k0 + s * t;
    return row;
  });
  const m = Math.ceil(D / s);
  const padBegin = -S;
  const padEnd = Math.max(0, m + size - 1 - Dy - padBegin);
  return { tap, size, padBegin, padEnd, m };
}

/** dx of Conv(x, w) with strides s (dilation 1, group 1) by one phase-stacked Conv; undefined if not applicable. */
export function subpixelInputGrad(g: GraphBuilder, dy: Value, w: Value, xs: number[], ys: number[], k: number[], s: number[], pb: number[]): Value | undefined {
  const r = k.length;
  const plans = k.map((K, i) => planAxis(K, s[i], pb[i], xs[i], ys[i]));
  if (plans.some((p) => !p)) return undefined;
  const P = plans as AxisPlan[];
  const [o, c] = w.shape as number[];
  const kvol = k.reduce((a, b) => a * b, 1);
  const nPh = s.reduce((a, b) => a * b, 1);
  const tvol = P.reduce((a, p) => a * p.size, 1);
  // selection matrix [kvol, nPh * tvol]: column (phase, j) picks w's flat tap or nothing
  const sel = tensor(w.dtype, [kvol, nPh * tvol]);
  const selData = sel.data as Float32Array;
  for (let ph = 0; ph < nPh; ph++) {
    const rs: number[] = [];
    let rem = ph;
    for (let i = r - 1; i >= 0; i--) {
      rs[i] = rem % s[i];
      rem = Math.floor(rem / s[i]);
    }
    for (let j = 0; j < tvol; j++) {
      let jr = j;
      let flat = 0;
      let ok = true;
      const js: number[] = [];
      for (let i = r - 1; i >= 0; i--) {
        js[i] = jr % P[i].size;
        jr = Math.floor(jr / P[i].size);
      }
      for (let i = 0; i < r; i++) {
        const kk = P[i].tap[rs[i]][js[i]];
        if (kk < 0) ok = false;
        flat = flat * k[i] + Math.max(kk, 0);
      }
      if (ok) selData[flat * nPh * tvol + ph * tvol + j] = 1;
    }
  }
  const wFlat = g.op.reshape(w, [o * c, kvol]);
  const wSel = g.op.matMul(wFlat, g.constant(sel)); // [O*C, nPh*tvol]
  const wPh = g.op.transpose(g.op.reshape(wSel, [o, c, nPh, tvol]), [2, 1, 0, 3]); // [nPh, C, O, tvol]
  const kernel = g.op.reshape(wPh, [nPh * c, o, ...P.map((p) => p.size)]);
  const phased = rawConv(g, dy, kernel, undefined, { pads: [...P.map((p) => p.padBegin), ...P.map((p) => p.padEnd)] });
  // [N, nPh*C, M...] -> [N, s0, s1, s2, C, M0, M1, M2] -> [N, C, M0, s0, M1, s1, M2, s2] -> [N, C, M0 s0, ...]
  const split = g.op.reshape(phased, [0, ...s, c, ...P.map((p) => p.m)]);
  const perm = [0, r + 1];
  for (let i = 0; i < r; i++) perm.push(r + 2 + i, 1 + i);
  const inter = g.op.reshape(g.op.transpose(split, perm), [0, c, ...P.map((p, i) => p.m * s[i])]);
  const full = P.every((p, i) => p.m * s[i] === xs[i]);
  return full ? inter : g.op.slice(inter, xs.map(() => 0), xs, xs.map((_, i) => i + 2));
}
