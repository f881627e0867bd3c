// MatMul (ONNX opset 13, numpy matmul semantics, rank >= 2 here). Gradient (JAX dot_general transpose rule):
// dA = dY @ B^T, dB = A^T @ dY, with broadcast batch dims summed back by sum-to-shape.
import type { GraphBuilder } from './builder.js';
import { GraphError } from '../ir/errors.js';
import type { Value } from '../ir/graph.js';
import { broadcastDim, broadcastShapes } from '../ir/shape.js';
import { tensor } from '../ir/tensor.js';
import { sumToShape } from './sum-to-shape.js';
import { need } from './infer-helpers.js';
import { type GradContext, type Grads, defineOp } from './op-def.js';

/** Swap the last two axes. */
export function mT(g: GraphBuilder, x: Value): Value {
  const r = x.rank;
  const perm = Array.from({ length: r }, (_, i) => i);
  perm[r - 1] = r - 2;
  perm[r - 2] = r - 1;
  return g.op.transpose(x, perm);
}

/**
 * x with its innermost axis (to.length elements) placed into a new innermost axis of `width`: element i goes to
 * column to[i], every other column is 0. One MatMul with a one-hot [to.length, width] matrix: each output is one
 * product by 1 plus zeros, exact for finite x. On ORT's CPU provider this beats a Pad of a trailing size-1 axis or
 * a Transpose that moves single floats by far (ops/slice.ts, ops/conv-subpixel.ts).
 */
export function placeInnermost(g: GraphBuilder, x: Value, to: number[], width: number): Value {
  const onehot = new Array<number>(to.length * width).fill(0);
  to.forEach((col, i) => { onehot[i * width + col] = 1; });
  return g.op.matMul(x, g.constant(tensor(x.dtype, [to.length, width], onehot)));
}

export const matMul = defineOp({
  type: 'MatMul',
  attrs: {},
  infer: (ctx) => {
    const a = need(ctx, 0);
    const b = need(ctx, 1);
    if (a.rank < 2 || b.rank < 2) throw new GraphError('rank-1 operands are not supported; reshape first', ctx.op, ctx.node);
    if (a.dtype !== b.dtype) throw new GraphError(`dtype mismatch ${a.dtype} vs ${b.dtype}`, ctx.op, ctx.node);
    broadcastDim(a.shape[a.rank - 1], b.shape[b.rank - 2], ctx.op, ctx.node);
    const batch = broadcastShapes([a.shape.slice(0, -2), b.shape.slice(0, -2)], ctx.op, ctx.node);
    return [{ dtype: a.dtype, shape: [...batch, a.shape[a.rank - 2], b.shape[b.rank - 1]] }];
  },
  grad: (ctx: GradContext): Grads => {
    const { g } = ctx;
    const [a, b] = ctx.inputs as Value[];
    const dy = ctx.dOut[0]!;
    return [
      ctx.wants[0] ? sumToShape(g, g.op.matMul(dy, mT(g, b)), a) : undefined,
      ctx.wants[1] ? sumToShape(g, g.op.matMul(mT(g, a), dy), b) : undefined,
    ];
  },
  call: (g: GraphBuilder, a: Value, b: Value): Value => g.emit('MatMul', [a, b])[0],
});
