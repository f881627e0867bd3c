// Gemm (ONNX opset 13): Y = alpha * op(A) @ op(B) + beta * C, op = optional transpose, C unidirectionally
// broadcast. Gradients expressed as Gemms with transpose flags so no explicit Transpose is emitted
// (derivation: d op(A) = alpha dY op(B)^T, d op(B) = alpha op(A)^T dY; then transpose back when trans*=1).
import type { GraphBuilder } from './builder.js';
import { GraphError } from '../ir/errors.js';
import type { Value } from '../ir/graph.js';
import { sumToShape } from './sum-to-shape.js';
import { need } from './infer-helpers.js';
import { type GradContext, type Grads, defineOp } from './op-def.js';

export interface GemmAttrs {
  alpha?: number;
  beta?: number;
  transA?: number;
  transB?: number;
}

export const gemm = defineOp({
  type: 'Gemm',
  attrs: { alpha: 'float', beta: 'float', transA: 'int', transB: 'int' },
  infer: (ctx) => {
    const a = need(ctx, 0);
    const b = need(ctx, 1);
    if (a.rank !== 2 || b.rank !== 2) throw new GraphError('A and B must be 2-D', ctx.op, ctx.node);
    const m = ctx.attr('transA', 0) ? a.shape[1] : a.shape[0];
    const n = ctx.attr('transB', 0) ? b.shape[0] : b.shape[1];
    const ka = ctx.attr('transA', 0) ? a.shape[0] : a.shape[1];
    const kb = ctx.attr('transB', 0) ? b.shape[1] : b.shape[0];
    if (typeof ka === 'number' && typeof kb === 'number' && ka !== kb)
      throw new GraphError(`inner dims differ: ${ka} vs ${kb}`, ctx.op, ctx.node);
    return [{ dtype: a.dtype, shape: [m, n] }];
  },
  grad: (ctx: GradContext): Grads => {
    const { g, node } = ctx;
    const [a, b, c] = ctx.inputs;
    const dy = ctx.dOut[0]!;
    const alpha = node.attr('alpha', 1.0);
    const beta = node.attr('beta', 1.0);
    const tA = node.attr('transA', 0);
    const tB = node.attr('transB', 0);
    let da: Value | undefined;
    let db: Value | undefined;
    if (ctx.wants[0])
      da = tA
        ? g.op.gemm(b!, dy, undefined, { alpha, transA: tB, transB: 1 })
        : g.op.gemm(dy, b!, undefined, { alpha, transB: tB ? 0 : 1 });
    if (ctx.wants[1])
      db = tB
        ? g.op.gemm(dy, a!, undefined, { alpha, transA: 1, transB: tA })
        : g.op.gemm(a!, dy, undefined, { alpha, transA: tA ? 0 : 1 });
    let dc: Value | undefined;
    if (c && ctx.wants[2]) dc = sumToShape(g, beta === 1 ? dy : g.op.mul(dy, beta), c);
    return [da, db, dc];
  },
  call: (g: GraphBuilder, a: Value, b: Value, c?: Value, attrs: GemmAttrs = {}): Value =>
    g.emit('Gemm', [a, b, c], { ...attrs })[0],
});
