// Sub-pixel (polyphase) input gradient of a strided Conv: instead of dilating dy with zeros (s^r times the
// work) or ConvTranspose, dx is split by output phase r = i mod s along each axis. Each phase is a stride-1
// correlation of dy with the taps k = k0_r + s t of w (k0_r = (r + pb) mod s): one Conv per phase with just those
// taps, then a depth-to-space interleave and a crop.
// (Derivation: dx[s m + r] = sum_t dy[m + q_r - t] w[k0_r + s t], q_r = (r + pb - k0_r) / s; the same
// decomposition as "sub-pixel convolution", Shi et al. 2016, and the polyphase form of a transposed conv.)
// The phase kernels are gathered from w with one constant 0/1 selection matrix (a MatMul), so w stays a
// differentiable graph value.
import type { GraphBuilder } from './builder.js';
import { rawConv } from './conv-raw.js';
import { batchedGemmConv } from './conv-batched-gemm.js';
import { BATCHED_GEMM_MAX_Z } from './conv-plan.js';
import type { Value } from '../ir/graph.js';
import { tensor } from '../ir/tensor.js';
import { placeInnermost } from './matmul.js';

/** One output phase r of an axis: dx[s m + r] = sum_j dy[m + start + j] w[taps[j]] over j < taps.length. */
export interface PhasePlan {
  taps: number[];
  start: number;
}

export interface AxisPlan {
  /** Per phase r < s; undefined where no tap reaches the phase (K < s, e.g. a strided 1^3 conv). */
  phases: (PhasePlan | undefined)[];
  /** Outputs per phase = ceil(D / s). */
  m: number;
}

/** Pure per-axis plan for kernel K, stride s, begin pad pb and input size D (dilation 1); undefined where no phase
 *  has a tap, or every phase starts inside dy (not needed for ResNet-style pads). */
export function planAxis(K: number, s: number, pb: number, D: number): AxisPlan | undefined {
  const phases = Array.from({ length: s }, (_, r) => {
    const k0 = (((r + pb) % s) + s) % s;
    const T = k0 < K ? Math.ceil((K - k0) / s) : 0;
    if (T === 0) return undefined;
    // tap t = k0 + s t reads dy[m + q - t], q = (r + pb - k0) / s: in correlation order j = T - 1 - t
    return { taps: Array.from({ length: T }, (_, j) => k0 + s * (T - 1 - j)), start: (r + pb - k0) / s - (T - 1) };
  });
  const live = phases.filter((p) => p !== undefined);
  if (live.length === 0 || Math.min(...live.map((p) => p.start)) > 0) return undefined;
  return { phases, m: Math.ceil(D / s) };
}

/**
 * [N, nPh*C, M...] (phase-major channels) -> [N, C, M0 s0, M1 s1, ...], cropped to xs. One Transpose to
 * [N, C, M0, s0, ..., s_last, M_last] keeps runs of M_last floats; the last axis' phases are then interleaved by a
 * permutation MatMul (ops/matmul.ts placeInnermost).
 * The single 8-D Transpose with the phase innermost moved one float at a time: 19.8-32.9 ms for the ResNet-18
 * layer2 downsampling conv's dx of [16, 64, 16^3].
 */
function depthToSpace(g: GraphBuilder, phased: Value, c: number, s: number[], m: number[], xs: number[]): Value {
  const r = s.length;
  const split = g.op.reshape(phased, [0, ...s, c, ...m]);
  const perm = [0, r + 1];
  for (let i = 0; i < r - 1; i++) perm.push(r + 2 + i, 1 + i);
  perm.push(r, 2 * r + 1);
  const last = s[r - 1] * m[r - 1];
  const moved = g.op.reshape(g.op.transpose(split, perm), [0, c, ...m.slice(0, r - 1).flatMap((mi, i) => [mi, s[i]]), last]);
  // (phase, j) -> j s + phase
  const to = Array.from({ length: last }, (_, i) => (i % m[r - 1]) * s[r - 1] + Math.floor(i / m[r - 1]));
  const inter = g.op.reshape(placeInnermost(g, moved, to, last), [0, c, ...m.map((mi, i) => mi * s[i])]);
  const full = m.every((mi, i) => mi * s[i] === xs[i]);
  return full ? inter : g.op.slice(inter, xs.map(() => 0), xs, xs.map((_, i) => i + 2));
}

/**
 * dx of Conv(x, w) with strides s (dilation 1, group 1): each phase one stride-1 Conv of dy with only its live taps
 * (with s = 2 and K = 3, 1 or 2 per axis: 27 taps in all), the phase outputs concatenated phase-major and
 * interleaved; undefined where not applicable. (One Conv of all phases stacked as output channels needs a common
 * kernel with zero taps: 8 x 8 = 64 taps for those 27, and took 71-80 ms against 57-61 for the phases on the
 * ResNet-18 layer2 downsampling conv's dx of [16, 64, 16^3]; AMD EPYC Zen 2, 2 threads.)
 */
export function subpixelInputGrad(g: GraphBuilder, dy: Value, w: Value, xs: number[], ys: number[], k: number[], s: number[], pb: number[]): Value | undefined {
  const r = k.length;
  const plans = k.map((K, i) => planAxis(K, s[i], pb[i], xs[i]));
  if (plans.some((p) => !p)) return undefined;
  const P = plans as AxisPlan[];
  const [o, c] = w.shape as number[];
  const kvol = k.reduce((a, b) => a * b, 1);
  const nPh = s.reduce((a, b) => a * b, 1);
  const zy = P.reduce((a, p) => a * p.m, 1);
  // one selection MatMul orders w's taps phase by phase (a permutation of the kvol taps; dead phases take none)
  const phases: ({ win: PhasePlan[]; col: number } | undefined)[] = [];
  const cols: number[] = [];
  for (let ph = 0; ph < nPh; ph++) {
    const rs: number[] = [];
    let rem = ph;
    for (let i = r - 1; i >= 0; i--) {
      rs[i] = rem % s[i];
      rem = Math.floor(rem / s[i]);
    }
    const axes = rs.map((ri, i) => P[i].phases[ri]);
    if (axes.some((p) => !p)) {
      phases.push(undefined); // no taps on some axis: zeros
      continue;
    }
    const win = axes as PhasePlan[];
    phases.push({ win, col: cols.length });
    const tvol = win.reduce((a, p) => a * p.taps.length, 1);
    for (let j = 0; j < tvol; j++) {
      let jr = j;
      const js: number[] = [];
      for (let i = r - 1; i >= 0; i--) {
        js[i] = win[i].taps[jr % win[i].taps.length];
        jr = Math.floor(jr / win[i].taps.length);
      }
      cols.push(js.reduce((flat, kk, i) => flat * k[i] + kk, 0));
    }
  }
  const sel = tensor(w.dtype, [kvol, cols.length]);
  cols.forEach((flat, j) => { (sel.data as Float32Array)[flat * cols.length + j] = 1; });
  // [O*C, kvol] x sel -> [O, C, taps] -> [taps, C, O]: each phase's kernel is a contiguous block of rows
  const wT = g.op.transpose(g.op.reshape(g.op.matMul(g.op.reshape(w, [o * c, kvol]), g.constant(sel)), [o, c, cols.length]), [2, 1, 0]);
  const outs = phases.map((phase) => {
    if (!phase) return undefined;
    const { win, col } = phase;
    const T = win.map((p) => p.taps.length);
    const tvol = T.reduce((a, b) => a * b, 1);
    const kt = g.op.slice(wT, [col], [col + tvol], [0]); // [tvol, C, O]
    const kernel = g.op.reshape(g.op.transpose(kt, [1, 2, 0]), [c, o, ...T]);
    // phase output m reads dy[m + start + j]: pads where that leaves dy, crops where it starts or ends inside
    const begin = win.map((p) => -p.start);
    const end = win.map((p, i) => P[i].m + T[i] - 1 - ys[i] - begin[i]);
    let src = dy;
    if ([...begin, ...end].some((v) => v < 0)) {
      const lo = begin.map((v) => Math.max(0, -v));
      const hi = end.map((v, i) => ys[i] - Math.max(0, -v));
      src = g.op.slice(dy, lo, hi, Array.from({ length: r }, (_, i) => i + 2));
    }
    const pads = [...begin, ...end].map((v) => Math.max(0, v));
    // ORT's Conv runs an im2col + GEMM per sample: fine on large volumes, skinny on small ones, where one Gemm over
    // the batch (2^3 and less) or one MatMul per sample (up to 4^3) does better (ops/conv-batched-gemm.ts). dx of
    // the ResNet-18 strided convs at 16 samples (AMD EPYC Zen 2, 2 threads): layer3's 49 -> 27 ms, layer4's
    // 32 -> 24 ms; layer2's (8^3 per phase) stays on Conv: 60 ms against 74 as MatMuls.
    if (zy <= BATCHED_GEMM_MAX_Z && src.dtype === 'float32' && src.shape.every((d) => typeof d === 'number') && (src.shape[0] as number) >= 2)
      return batchedGemmConv(g, src, kernel, undefined, { k: T, s: T.map(() => 1), d: T.map(() => 1), pb: pads.slice(0, r), pe: pads.slice(r), group: 1 }, zy > 8);
    return rawConv(g, src, kernel, undefined, { pads });
  });
  const some = outs.find((v) => v);
  if (!some) return undefined;
  // a dead phase's dx is 0 (0 * dy: NaN where dy holds NaN, as the zero taps of a common kernel would give)
  return depthToSpace(g, g.op.concat(outs.map((v) => v ?? g.op.mul(some, 0)), 1), c, s, P.map((p) => p.m), xs);
}
