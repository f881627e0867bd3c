// MatMul (ONNX opset 13, numpy matmul semantics, rank >= 2 here). Gradient (JAX dot_general transpose rule):
// dA = dY @ B^T, dB = A^T @ dY, with broadcast batch dims summed back by sum-to-shape.
import type { GraphBuilder } from './builder.js';
import { GraphError } from '../ir/errors.js';
import type { Value } from '../ir/graph.js';
import { broadcastDim, broadcastShapes } from '../ir/shape.js';
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
