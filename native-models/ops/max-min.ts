// Binary Max/Min (ONNX opset 13, variadic; used here with two inputs). Gradient goes to the selected operand;
// ties go to the first operand (PyTorch's torch.maximum splits ties in half, JAX too; we document the choice).
import type { GraphBuilder } from './builder.js';
import type { Value } from '../ir/graph.js';
import { sumToShape } from './sum-to-shape.js';
import { type Operand, operands } from './elementwise-binary.js';
import { broadcastInfer } from './infer-helpers.js';
import { type GradContext, type Grads, defineOp } from './op-def.js';

function selectGrad(ctx: GradContext, firstWins: (a: Value, b: Value) => Value): (Value | undefined)[] {
  const { g } = ctx;
  const [a, b] = ctx.inputs as Value[];
  const dy = ctx.dOut[0]!;
  const m = firstWins(a, b);
  const zero = g.scalarLike(dy, 0);
  return [
    ctx.wants[0] ? sumToShape(g, g.op.where(m, dy, zero), a) : undefined,
    ctx.wants[1] ? sumToShape(g, g.op.where(m, zero, dy), b) : undefined,
  ];
}

export const max = defineOp({
  type: 'Max',
  attrs: {},
  infer: (ctx) => broadcastInfer(ctx),
  grad: (ctx: GradContext): Grads => selectGrad(ctx, (a, b) => ctx.g.op.greaterOrEqual(a, b)),
  call: (g: GraphBuilder, a: Operand, b: Operand): Value => g.emit('Max', operands(g, a, b, 'Max'))[0],
});

export const min = defineOp({
  type: 'Min',
  attrs: {},
  infer: (ctx) => broadcastInfer(ctx),
  grad: (ctx: GradContext): Grads => selectGrad(ctx, (a, b) => ctx.g.op.lessOrEqual(a, b)),
  call: (g: GraphBuilder, a: Operand, b: Operand): Value => g.emit('Min', operands(g, a, b, 'Min'))[0],
});
