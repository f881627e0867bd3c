// Expand (ONNX opset 13): bidirectional broadcast to a shape; gradient sums back (autodiff/sum-to-shape.ts).
import type { GraphBuilder } from './builder.js';
import type { Value } from '../ir/graph.js';
import { broadcastShapes } from '../ir/shape.js';
import { sumToShape } from './sum-to-shape.js';
import { shapeFromVector } from './constant.js';
import { need } from './infer-helpers.js';
import { type GradContext, type Grads, defineOp } from './op-def.js';

export const expand = defineOp({
  type: 'Expand',
  attrs: {},
  nonDiffInputs: [1],
  infer: (ctx) => {
    const x = need(ctx, 0);
    return [{ dtype: x.dtype, shape: broadcastShapes([x.shape, shapeFromVector(ctx, need(ctx, 1))], ctx.op, ctx.node) }];
  },
  grad: (ctx: GradContext): Grads => [sumToShape(ctx.g, ctx.dOut[0]!, ctx.inputs[0]!)],
  call: (g: GraphBuilder, x: Value, shape: number[] | Value): Value =>
    g.emit('Expand', [x, Array.isArray(shape) ? g.ints(shape) : shape])[0],
});
