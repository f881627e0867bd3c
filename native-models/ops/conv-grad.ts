// Gradient formulations of Conv (and, by adjointness, ConvTranspose) in standard ONNX ops.
// Forward: y[n,o,z] = sum_{c,k} x[n,c,z*s + k*d - pb] w[o,c,k]   (cross-correlation, ONNX Conv).
// Input gradient dx = conv^T(dy, w):
//   'conv-flipped'   Conv(dy, flip(w)^T) at stride 1 with pads d(k-1)-p (cuDNN/Caffe "backward data" identity);
//                    for stride > 1, dy is first dilated with zeros (Reshape/Pad), then the same stride-1 Conv.
//   'conv-transpose' ConvTranspose(dy, w) with the forward strides/pads/dilations and output_padding.
// Weight gradient dw[o,c,k] = sum_{n,z} dy[n,o,z] x[n,c,z*s + k*d - pb]:
//   'im2col-gemm'    x^T (C,N,...) sliced per kernel offset, Concat -> cols (C*K, N*Z); Gemm(dy^T, cols, transB).
//   'im2col-conv'    cols (N, C*K, Z) by ONE Conv of x (as N*C single-channel images) with one-hot kernels,
//                    then batched MatMul with dy^T (N, Z, O) and ReduceSum over N: no large transposes.
//   'conv-nc'        Conv(x^T, dy^T) with N as channels and C as batch, stride = forward dilation and
//                    dilation = forward stride, then a transpose back (the "Conv used for weight gradients").
//   'nchwc-nc'       conv-nc per depth tap on MLAS's NCHWc 2-D kernels, (sample, depth) pairs as the channels
//                    (conv-nchwc-nc.ts); where the autotuner measured it faster (the 7^3 stem).
//   'subpixel'       strided convs: one stride-1 Conv per output phase (its live taps only) + depth-to-space
//                    (conv-subpixel.ts).
//   'gemm-col2im'    small volumes, any stride: one Gemm over the output channels (w read transposed, never
//                    re-laid out) and a col2im MatMul with the im2col selection matrix (conv-col2im.ts).
// 'auto' picks what measured fastest (bench/conv-grad.ts): flipped Conv at stride 1, sub-pixel when strided,
// ConvTranspose when the weight has more elements than dx (layer3/4: the weight re-layout dominates);
// im2col-conv for kernels up to 3^3, conv-nc for the 7^3 stem. (DESIGN §5's prototype used ConvTranspose for
// stride 2 and Slice/Concat im2col + Gemm; both are kept as options and measured slower.)
import type { GraphBuilder } from './builder.js';
import { rawConv } from './conv-raw.js';
import { GraphError } from '../ir/errors.js';
import type { Value } from '../ir/graph.js';
import type { DType } from '../ir/dtype.js';
import { tensor } from '../ir/tensor.js';
import type { Resolved } from './conv-attrs.js';
import { type ConvForm, type ConvRole, NOMINAL_BATCH, col2imApplies, convSignature, defaultForm, nchwcApplies, nchwcNcApplies, signatureKey } from './conv-plan.js';
import { nchwcConv3d } from './conv-nchwc.js';
import { nchwcNcWeightGrad } from './conv-nchwc-nc.js';
import type { ConvInputGrad, ConvWeightGrad } from './op-def.js';
import { subpixelInputGrad } from './conv-subpixel.js';
import { batchedGemmConv } from './conv-batched-gemm.js';
import { col2imInputGrad } from './conv-col2im.js';
import { im2col } from './im2col.js';

/** Elements of im2col buffer per weight-gradient chunk when no explicit weightChunk is given. */
export const IM2COL_BUDGET = 32 * 1024 * 1024;

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

function staticSpatial(v: Value, what: string, node: string): number[] {
  const sp = v.shape.slice(2);
  if (!sp.every((d) => typeof d === 'number')) throw new GraphError(`${what} needs static spatial dims, got ${v}`, 'Conv', node);
  return sp as number[];
}

/** Swap axes 0 and 1 (N<->C, or O<->C of a weight). */
function swap01(g: GraphBuilder, v: Value): Value {
  const p = range(v.rank);
  p[0] = 1;
  p[1] = 0;
  return g.op.transpose(v, p);
}

/** flip(w) spatially and swap in/out channels, per group: [O, C/G, k] -> [C, O/G, k]. */
function flippedWeight(g: GraphBuilder, w: Value, group: number): Value {
  // Reversing every spatial axis = reversing the flattened kernel axis K: [O * C/G, K] times the K x K exchange
  // matrix, one Gemm (exact: each output is one weight times 1 plus zeros). ORT's Slice with step -1 on the
  // innermost axis goes element by element: 32 ms for a 512 x 512 x 3^3 weight, against ~4 ms for the Gemm.
  const [o, cg, ...k] = w.shape as number[];
  const kvol = k.reduce((p, q) => p * q, 1);
  const f = g.op.reshape(g.op.gemm(g.op.reshape(w, [o * cg, kvol]), exchangeMatrix(g, kvol, w.dtype)), [o, cg, kvol]);
  if (group === 1) return g.op.reshape(g.op.transpose(f, [1, 0, 2]), [cg, o, ...k]);
  const t = g.op.transpose(g.op.reshape(f, [group, o / group, cg, kvol]), [0, 2, 1, 3]);
  return g.op.reshape(t, [group * cg, o / group, ...k]);
}

/** The K x K exchange matrix (ones on the anti-diagonal): v J reverses v. One per graph and size. */
function exchangeMatrix(g: GraphBuilder, k: number, dtype: DType): Value {
  return g.sharedConstant(`exchange|${dtype}|${k}`, () => {
    const t = tensor(dtype, [k, k]);
    for (let i = 0; i < k; i++) t.data[i * k + (k - 1 - i)] = 1;
    return t;
  });
}

/** Shape of flippedWeight(w) for group 1 (a Value stand-in for signature checks). */
function flippedShape(w: Value): Value {
  const [o, c, ...k] = w.shape;
  return { shape: [c, o, ...k], dtype: w.dtype } as Value;
}

/** dy with s-1 zeros inserted between elements along each spatial axis: size (n-1)s+1. */
function dilateZeros(g: GraphBuilder, dy: Value, s: number[], node: string): Value {
  const sp = staticSpatial(dy, 'zero-dilation', node);
  const r = sp.length;
  // [N,O,a,b,c] -> [N,O,a,1,b,1,c,1] -> pad to [N,O,a,s0,b,s1,c,s2] -> [N,O,a*s0,...] -> trim the tail
  const inter: number[] = [];
  sp.forEach((d) => inter.push(d, 1));
  let v = g.op.reshape(dy, [0, 0, ...inter]);
  const pads = new Array<number>(2 * (2 + 2 * r)).fill(0);
  for (let i = 0; i < r; i++) pads[2 + 2 * r + 2 + 2 * i + 1] = s[i] - 1;
  v = g.op.pad(v, pads);
  v = g.op.reshape(v, [0, 0, ...sp.map((d, i) => d * s[i])]);
  return g.op.slice(v, range(r).map(() => 0), sp.map((d, i) => (d - 1) * s[i] + 1), range(r).map((i) => i + 2));
}

/**
 * The formulation of a conv (x, w: the FORWARD conv's input and weight) for `role`: the forced one unless 'auto',
 * else the builder's planner (ops/conv-plan.ts), else the default rule. Symbolic dims count as 1 for the default.
 */
export function chooseForm(g: GraphBuilder, role: ConvRole, x: Value, w: Value, a: Resolved, forced?: string): ConvForm {
  if (forced && forced !== 'auto') return forced as ConvForm;
  const sig = convSignature(role, x, w, a, NOMINAL_BATCH);
  const planned = sig && g.convPlanner?.choose(sig, signatureKey(sig));
  if (planned) return planned;
  const dims = (v: Value) => v.shape.map((d) => (typeof d === 'number' ? d : 1));
  return defaultForm(sig ?? { role, x: dims(x), w: dims(w), strides: a.s, pads: [...a.pb, ...a.pe], dilations: a.d }, a);
}

export function convInputGrad(g: GraphBuilder, dy: Value, w: Value, x: Value, a: Resolved, how: ConvInputGrad, node: string): Value {
  const xs = staticSpatial(x, 'input gradient', node);
  const ys = staticSpatial(dy, 'input gradient', node);
  const r = xs.length;
  const strided = a.s.some((s) => s !== 1);
  // default (ops/conv-plan.ts): when the weight outweighs dx (deep layers on small volumes), re-laying out w
  // (flip/transpose or phase gather, a full pass over w every step) costs more than ConvTranspose's col2im.
  let mode = chooseForm(g, 'input-grad', x, w, a, how);
  // pads of the flipped-weight conv of (zero-dilated) dy back to x's volume, shared by the flipped forms; negative
  // where the forward pads exceed the kernel's reach (then ConvTranspose)
  const pb = range(r).map((i) => a.d[i] * (a.k[i] - 1) - a.pb[i]);
  const pe = range(r).map((i) => xs[i] - ((ys[i] - 1) * a.s[i] + 1) - pb[i] + a.d[i] * (a.k[i] - 1));
  const padsFit = [...pb, ...pe].every((p) => p >= 0);
  if (mode === 'nchwc') {
    const block = g.convPlanner?.nchwcBlock;
    const sig = convSignature('input-grad', dy, flippedShape(w), { ...a, s: a.s.map(() => 1) }, NOMINAL_BATCH);
    if (!strided && sig && nchwcApplies(sig, a.group, block) && dy.dtype === 'float32' && padsFit)
      return nchwcConv3d(g, dy, flippedWeight(g, w, 1), undefined, { ...a, pb, pe }, block!);
    mode = 'conv-flipped';
  }
  if (mode === 'gemm-col2im') {
    const sig = convSignature('input-grad', x, w, a);
    if (sig && col2imApplies(sig, a) && [...dy.shape, ...w.shape].every((d) => typeof d === 'number')) return col2imInputGrad(g, dy, w, xs, a);
    mode = 'conv-flipped';
  }
  if (mode === 'subpixel' && a.group === 1 && a.d.every((d) => d === 1)) {
    const sp = subpixelInputGrad(g, dy, w, xs, ys, a.k, a.s, a.pb);
    if (sp) return sp;
  }
  if (mode === 'flipped-gemm' || mode === 'flipped-matmul') {
    // stride 1, no dilation: the flipped-weight conv of dy back to x's volume as one batched Gemm, or as one
    // per-sample MatMul of the same columns (ops/conv-batched-gemm.ts)
    if (!strided && a.group === 1 && a.d.every((d) => d === 1) && dy.dtype === 'float32' && padsFit)
      return batchedGemmConv(g, dy, flippedWeight(g, w, 1), undefined, { k: a.k, s: a.s, d: a.d, pb, pe, group: 1 }, mode === 'flipped-matmul');
    mode = 'conv-flipped';
  }
  // (pads larger than the kernel's reach fall through to ConvTranspose)
  if (mode === 'conv-flipped' && padsFit) {
    const src = strided ? dilateZeros(g, dy, a.s, node) : dy;
    return rawConv(g, src, flippedWeight(g, w, a.group), undefined, { pads: [...pb, ...pe], dilations: a.d, group: a.group });
  }
  const outPad = range(r).map((i) => xs[i] - ((ys[i] - 1) * a.s[i] + (a.k[i] - 1) * a.d[i] + 1 - a.pb[i] - a.pe[i]));
  return g.op.convTranspose(dy, w, undefined, {
    strides: a.s,
    pads: [...a.pb, ...a.pe],
    dilations: a.d,
    group: a.group,
    output_padding: outPad.some((p) => p !== 0) ? outPad : undefined,
  });
}

export function convBiasGrad(g: GraphBuilder, dy: Value): Value {
  return g.op.reduceSum(dy, [0, ...range(dy.rank - 2).map((i) => i + 2)], { keepdims: 0 });
}

export function convWeightGrad(g: GraphBuilder, x: Value, dy: Value, w: Value, a: Resolved, how: ConvWeightGrad, node: string, chunk?: number): Value {
  if (a.group !== 1) throw new GraphError('weight gradient supports group=1', 'Conv', node);
  // default (ops/conv-plan.ts; bench/conv-grad.ts, ORT 1.30 CPU, 2 threads): the identity-kernel im2col + batched
  // MatMul wins for 1^3 and 3^3 kernels at any stride; Conv-as-weight-gradient for the single-channel 7^3 stem.
  let mode = chooseForm(g, 'weight-grad', x, w, a, how);
  if (mode === 'nchwc-nc') {
    const block = g.convPlanner?.nchwcBlock;
    const sig = convSignature('weight-grad', x, w, a);
    if (sig && nchwcNcApplies(sig, a, block) && x.dtype === 'float32') return nchwcNcWeightGrad(g, x, dy, a, block!);
    mode = 'conv-nc';
  }
  if (mode === 'conv-nc') return convNcWeightGrad(g, x, dy, w, a, node);
  if (mode === 'im2col-conv') return im2colConvWeightGrad(g, x, dy, w, a, node, chunk);
  return im2colGemmWeightGrad(g, x, dy, w, a, node);
}

function padSpatial(g: GraphBuilder, x: Value, a: Resolved): Value {
  if (a.pb.every((p) => p === 0) && a.pe.every((p) => p === 0)) return x;
  return g.op.pad(x, [0, 0, ...a.pb, 0, 0, ...a.pe]);
}

function im2colGemmWeightGrad(g: GraphBuilder, x: Value, dy: Value, w: Value, a: Resolved, node: string): Value {
  const ys = staticSpatial(dy, 'weight gradient', node);
  const r = ys.length;
  const [o, c] = w.shape as number[];
  const xt = swap01(g, padSpatial(g, x, a)); // [C, N, D+p, ...]
  const cols: Value[] = [];
  const kvol = a.k.reduce((p, q) => p * q, 1);
  for (let f = 0; f < kvol; f++) {
    const off: number[] = [];
    let rem = f;
    for (let i = r - 1; i >= 0; i--) {
      off[i] = rem % a.k[i];
      rem = Math.floor(rem / a.k[i]);
    }
    const starts = off.map((k, i) => k * a.d[i]);
    const ends = starts.map((s0, i) => s0 + (ys[i] - 1) * a.s[i] + 1);
    const sl = g.op.slice(xt, starts, ends, range(r).map((i) => i + 2), a.s.some((s) => s !== 1) ? a.s : undefined);
    cols.push(kvol === 1 ? sl : g.op.unsqueeze(sl, [1]));
  }
  const col = kvol === 1 ? cols[0] : g.op.concat(cols, 1); // [C, K, N, Z...]
  const colM = g.op.reshape(col, [c * kvol, -1]);
  const dyM = g.op.reshape(swap01(g, dy), [o, -1]);
  const dw = g.op.gemm(dyM, colM, undefined, { transB: 1 });
  return g.op.reshape(dw, [o, c, ...a.k]);
}

function im2colConvWeightGrad(g: GraphBuilder, x: Value, dy: Value, w: Value, a: Resolved, node: string, chunk?: number): Value {
  const xs = staticSpatial(x, 'weight gradient', node);
  const ys = staticSpatial(dy, 'weight gradient', node);
  const [o, c] = w.shape as number[];
  const kvol = a.k.reduce((p, q) => p * q, 1);
  const zy = ys.reduce((p, q) => p * q, 1);
  const plain = kvol === 1 && a.s.every((v) => v === 1) && [...a.pb, ...a.pe].every((v) => v === 0);
  // sum over n of cols[n] (C*K x Z) @ dy[n]^T (Z x O) for one batch slice. When Z < O (deep layers, small
  // volumes) the batched [n, C*K, O] product would dwarf the im2col buffer, so the batch is folded into the
  // contraction instead: Gemm(cols^T-folded [C*K, n*Z], dy folded [O, n*Z], transB) (a transpose of cols).
  const fold = zy < o;
  const part = (xb: Value, dyb: Value): Value => {
    const colsB = plain
      ? g.op.reshape(xb, [0, c, zy])
      : g.op.reshape(im2col(g, g.op.reshape(xb, [-1, 1, ...xs]), a), [-1, c * kvol, zy]); // [n, C*K, Z]
    if (fold) {
      const colsF = g.op.reshape(g.op.transpose(colsB, [1, 0, 2]), [c * kvol, -1]); // [C*K, n*Z]
      const dyF = g.op.reshape(g.op.transpose(g.op.reshape(dyb, [0, o, zy]), [1, 0, 2]), [o, -1]); // [O, n*Z]
      return g.op.gemm(colsF, dyF, undefined, { transB: 1 }); // [C*K, O]
    }
    const dyT = g.op.transpose(g.op.reshape(dyb, [0, o, zy]), [0, 2, 1]); // [n, Z, O]
    return g.op.reduceSum(g.op.matMul(colsB, dyT), [0], { keepdims: 0 }); // [C*K, O]
  };
  const n = x.shape[0];
  // default chunking keeps the im2col buffer near 32M elements (128 MB in float32)
  const per = c * kvol * zy;
  const size = chunk ?? (plain ? undefined : Math.max(1, Math.floor(IM2COL_BUDGET / per)));
  let sum: Value | undefined;
  if (size && typeof n === 'number' && size < n) {
    // batch chunks bound the im2col buffer to chunk*C*K*Z elements (ORT reuses it between chunks)
    for (let n0 = 0; n0 < n; n0 += size) {
      const n1 = Math.min(n, n0 + size);
      const p = part(g.op.slice(x, [n0], [n1], [0]), g.op.slice(dy, [n0], [n1], [0]));
      sum = sum ? g.op.add(sum, p) : p;
    }
  } else sum = part(x, dy);
  return g.op.reshape(g.op.transpose(sum!, [1, 0]), [o, c, ...a.k]);
}

function convNcWeightGrad(g: GraphBuilder, x: Value, dy: Value, w: Value, a: Resolved, node: string): Value {
  const r = a.k.length;
  const xt = swap01(g, x); // [C, N, D...]
  const dyt = swap01(g, dy); // [O, N, Dy...]  used as the kernel
  let res = rawConv(g, xt, dyt, undefined, { strides: a.d, dilations: a.s, pads: [...a.pb, ...a.pe] }); // [C, O, K'...]
  const ks = res.shape.slice(2);
  if (ks.some((k, i) => k !== a.k[i])) {
    if (!ks.every((k) => typeof k === 'number')) throw new GraphError('weight gradient needs static spatial dims', 'Conv', node);
    res = g.op.slice(res, range(r).map(() => 0), a.k, range(r).map((i) => i + 2));
  }
  return swap01(g, res);
}
