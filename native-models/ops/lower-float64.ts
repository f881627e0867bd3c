// Float64 lowering of ops whose onnxruntime CPU kernels are float32-only (Conv, AveragePool,
// GlobalAveragePool; measured with ORT 1.30: "Could not find an implementation for Conv(11)" for double).
// Conv becomes im2col (Pad, one strided Slice per kernel tap, Concat) + MatMul, whose double kernels exist, so
// float64 graphs (e.g. parity tests against PyTorch float64) run end to end; autodiff differentiates the lowered
// ops (Slice/Concat/MatMul gradients) and needs no conv rule. Slower than float32 Conv: for tests and references.
import type { GraphBuilder } from './builder.js';
import { GraphError } from '../ir/errors.js';
import type { Value } from '../ir/graph.js';
import type { ConvAttrs } from './conv-attrs.js';
import { resolve } from './conv-attrs.js';

/** [N, C, K, Y...] patches of x (K = kernel volume, Y = output dims), or the reason it cannot. */
function patches(g: GraphBuilder, x: Value, k: number[], s: number[], d: number[], pb: number[], pe: number[], op: string): { cols: Value; ys: number[] } {
  const sp = x.shape.slice(2);
  if (!sp.every((v) => typeof v === 'number')) throw new GraphError('float64 lowering needs static spatial dims', op);
  const r = k.length;
  const padded = pb.some((p) => p) || pe.some((p) => p) ? g.op.pad(x, [0, 0, ...pb, 0, 0, ...pe]) : x;
  const ys = (sp as number[]).map((n, i) => Math.floor((n + pb[i] + pe[i] - ((k[i] - 1) * d[i] + 1)) / s[i]) + 1);
  const kvol = k.reduce((a, b) => a * b, 1);
  const taps: Value[] = [];
  for (let f = 0; f < kvol; f++) {
    const off: number[] = [];
    let rem = f;
    for (let i = r - 1; i >= 0; i--) {
      off[i] = rem % k[i];
      rem = Math.floor(rem / k[i]);
    }
    const starts = off.map((o, i) => o * d[i]);
    const ends = starts.map((b, i) => b + (ys[i] - 1) * s[i] + 1);
    const axes = k.map((_, i) => i + 2);
    const t = g.op.slice(padded, starts, ends, axes, s.some((v) => v !== 1) ? s : undefined);
    taps.push(g.op.unsqueeze(t, [2]));
  }
  return { cols: taps.length === 1 ? taps[0] : g.op.concat(taps, 2), ys };
}

export function convFloat64(g: GraphBuilder, x: Value, w: Value, b: Value | undefined, attrs: ConvAttrs): Value {
  const get = <T>(n: string, dflt: T): T => ((attrs as Record<string, unknown>)[n] as T | undefined) ?? dflt;
  const a = resolve(get, w.shape.slice(2), 'Conv', 'float64 lowering');
  if (a.group !== 1) throw new GraphError('float64 lowering supports group=1', 'Conv');
  const [o, c] = w.shape as number[];
  const kvol = a.k.reduce((p, q) => p * q, 1);
  const { cols, ys } = patches(g, x, a.k, a.s, a.d, a.pb, a.pe, 'Conv');
  const zy = ys.reduce((p, q) => p * q, 1);
  const colsM = g.op.reshape(cols, [0, c * kvol, zy]); // [N, C*K, Z]
  let y = g.op.reshape(g.op.matMul(g.op.reshape(w, [o, c * kvol]), colsM), [0, o, ...ys]);
  if (b) y = g.op.add(y, g.op.reshape(b, [o, ...ys.map(() => 1)]));
  return y;
}

export function averagePoolFloat64(g: GraphBuilder, x: Value, attrs: { kernel_shape: number[]; strides?: number[]; pads?: number[]; count_include_pad?: number; ceil_mode?: number }): Value {
  const k = attrs.kernel_shape;
  const s = attrs.strides ?? k.map(() => 1);
  const pads = attrs.pads ?? k.map(() => 0).concat(k.map(() => 0));
  if (attrs.ceil_mode) throw new GraphError('float64 lowering needs ceil_mode=0', 'AveragePool');
  if (pads.some((p) => p) && !attrs.count_include_pad) throw new GraphError('float64 lowering with pads needs count_include_pad=1', 'AveragePool');
  const { cols } = patches(g, x, k, s, k.map(() => 1), pads.slice(0, k.length), pads.slice(k.length), 'AveragePool');
  return g.op.reduceMean(cols, [2], { keepdims: 0 });
}

export function globalAveragePoolFloat64(g: GraphBuilder, x: Value): Value {
  return g.op.reduceMean(x, x.shape.slice(2).map((_, i) => i + 2), { keepdims: 1 });
}
