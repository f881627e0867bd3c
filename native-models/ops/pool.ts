// Pooling: MaxPool (opset 12, with Indices output), AveragePool (opset 11), GlobalAveragePool (opset 1).
// Gradients: MaxPool scatters dy to the arg-max positions with ScatterElements(reduction=add) over the
// flattened input (ONNX MaxPool: indices are flat over the whole N*C*D*H*W tensor, ignoring padding).
// AveragePool spreads dy/count over each window with a ConvTranspose by a ones kernel (one channel, N*C
// folded into the batch). GlobalAveragePool broadcasts dy/size (tfjs avgPool3dGrad; JAX reduce_window transpose).
// float64 inputs are lowered (ops/lower-float64.ts): ORT's CPU pools other than MaxPool are float32-only.
import type { GraphBuilder } from './builder.js';
import { GraphError } from '../ir/errors.js';
import type { Value } from '../ir/graph.js';
import { tensor } from '../ir/tensor.js';
import { convOut, resolve, resolveNode } from './conv-attrs.js';
import { zerosLike } from './constant.js';
import { need } from './infer-helpers.js';
import { averagePoolFloat64, globalAveragePoolFloat64 } from './lower-float64.js';
import { type GradContext, type Grads, type InferContext, defineOp } from './op-def.js';

export interface PoolAttrs {
  kernel_shape: number[];
  strides?: number[];
  pads?: number[];
  ceil_mode?: number;
}

function poolInfer(ctx: InferContext) {
  const x = need(ctx, 0);
  const k = ctx.attr<number[] | undefined>('kernel_shape', undefined);
  if (!k) throw new GraphError('kernel_shape is required', ctx.op, ctx.node);
  const a = resolve(ctx.attr, k, ctx.op, ctx.node);
  const ceil = ctx.attr('ceil_mode', 0) === 1;
  return { x, shape: [x.shape[0], x.shape[1], ...x.shape.slice(2).map((d, i) => convOut(d, i, { ...a, k }, ceil, ctx.fresh))] };
}

/**
 * Flat zeros with x's element count, made at run time from one (finite, non-negative) index: ConstantOfShape of a
 * static shape is constant-folded by ORT into an initializer that holds x's full size for the session's lifetime,
 * while this buffer exists only during the backward pass and ScatterElements can write into it in place.
 */
function runtimeZeros(g: GraphBuilder, x: Value, idx: Value): Value {
  const n = x.shape.every((d) => typeof d === 'number') ? [(x.shape as number[]).reduce((p, q) => p * q, 1)] : undefined;
  if (!n) return g.op.reshape(zerosLike(g, x), [-1]);
  const zero = g.op.mul(g.op.cast(g.op.slice(idx, [0], [1], [0]), x.dtype), 0); // [1]
  return g.op.expand(zero, n);
}

export const maxPool = defineOp({
  type: 'MaxPool',
  attrs: { auto_pad: 'string', ceil_mode: 'int', dilations: 'ints', kernel_shape: 'ints', pads: 'ints', storage_order: 'int', strides: 'ints' },
  outputs: 2,
  infer: (ctx) => {
    const { x, shape } = poolInfer(ctx);
    return [{ dtype: x.dtype, shape }, { dtype: 'int64', shape: [...shape] }];
  },
  grad: (ctx: GradContext): Grads => {
    const { g, node } = ctx;
    const x = ctx.inputs[0]!;
    if (node.attr('storage_order', 0) !== 0) throw new GraphError('gradient needs storage_order=0', node.opType, node.name);
    const idx = g.op.reshape(ctx.outputs[1], [-1]);
    const flat = g.op.scatterElements(runtimeZeros(g, x, idx), idx, g.op.reshape(ctx.dOut[0]!, [-1]), { axis: 0, reduction: 'add' });
    return [g.op.reshape(flat, g.shapeOf(x))];
  },
  /** Returns the pooled values; the Indices output is the node's second output (used by the gradient). */
  call: (g: GraphBuilder, x: Value, attrs: PoolAttrs & { dilations?: number[] }): Value => g.emit('MaxPool', [x], { ...attrs })[0],
});

export const averagePool = defineOp({
  type: 'AveragePool',
  attrs: { auto_pad: 'string', ceil_mode: 'int', count_include_pad: 'int', kernel_shape: 'ints', pads: 'ints', strides: 'ints' },
  infer: (ctx) => {
    const { x, shape } = poolInfer(ctx);
    return [{ dtype: x.dtype, shape }];
  },
  grad: (ctx: GradContext): Grads => {
    const { g, node } = ctx;
    const x = ctx.inputs[0]!;
    const dy = ctx.dOut[0]!;
    const k = node.attr<number[]>('kernel_shape')!;
    const a = resolveNode(node, k);
    if (node.attr('ceil_mode', 0)) throw new GraphError('gradient needs ceil_mode=0', node.opType, node.name);
    const xs = x.shape.slice(2);
    const ys = dy.shape.slice(2);
    if (![...xs, ...ys].every((d) => typeof d === 'number')) throw new GraphError('gradient needs static spatial dims', node.opType, node.name);
    const r = k.length;
    const kvol = k.reduce((p, q) => p * q, 1);
    const padded = a.pb.some((p) => p > 0) || a.pe.some((p) => p > 0);
    let scaled: Value;
    if (!padded || node.attr('count_include_pad', 0) === 1) scaled = g.op.mul(dy, 1 / kvol);
    else {
      // per-window count of real (unpadded) elements = kvol * AveragePool(ones, count_include_pad=1)
      const ones = g.constant(tensor(x.dtype, [1, 1, ...(xs as number[])], new Array((xs as number[]).reduce((p, q) => p * q, 1)).fill(1)));
      const frac = g.op.averagePool(ones, { kernel_shape: k, strides: a.s, pads: [...a.pb, ...a.pe], count_include_pad: 1 });
      scaled = g.op.div(dy, g.op.mul(frac, kvol));
    }
    const folded = g.op.reshape(scaled, [-1, 1, ...(ys as number[])]);
    const outPad = Array.from({ length: r }, (_, i) => (xs[i] as number) - (((ys[i] as number) - 1) * a.s[i] + k[i] - a.pb[i] - a.pe[i]));
    const ones = g.constant(tensor(x.dtype, [1, 1, ...k], new Array(kvol).fill(1)));
    const dx = g.op.convTranspose(folded, ones, undefined, {
      strides: a.s, pads: [...a.pb, ...a.pe], output_padding: outPad.some((p) => p !== 0) ? outPad : undefined,
    });
    return [g.op.reshape(dx, g.shapeOf(x))];
  },
  call: (g: GraphBuilder, x: Value, attrs: PoolAttrs & { count_include_pad?: number }): Value =>
    x.dtype === 'float64' ? averagePoolFloat64(g, x, attrs) : g.emit('AveragePool', [x], { ...attrs })[0],
});

export const globalAveragePool = defineOp({
  type: 'GlobalAveragePool',
  attrs: {},
  infer: (ctx) => {
    const x = need(ctx, 0);
    return [{ dtype: x.dtype, shape: [x.shape[0], x.shape[1], ...x.shape.slice(2).map(() => 1)] }];
  },
  grad: (ctx: GradContext): Grads => {
    const { g, node } = ctx;
    const x = ctx.inputs[0]!;
    const sp = x.shape.slice(2);
    if (!sp.every((d) => typeof d === 'number')) throw new GraphError('gradient needs static spatial dims', node.opType, node.name);
    const n = (sp as number[]).reduce((p, q) => p * q, 1);
    return [g.op.expand(g.op.mul(ctx.dOut[0]!, 1 / n), g.shapeOf(x))];
  },
  call: (g: GraphBuilder, x: Value): Value => (x.dtype === 'float64' ? globalAveragePoolFloat64(g, x) : g.emit('GlobalAveragePool', [x])[0]),
});
