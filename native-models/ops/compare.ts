// Comparisons and logic producing bool tensors: Greater, Less, GreaterOrEqual, LessOrEqual, Equal, Not, And
// (ONNX opset 13/16). Not differentiable: their outputs are bool.
import type { GraphBuilder } from './builder.js';
import type { Value } from '../ir/graph.js';
import { type Operand, operands } from './elementwise-binary.js';
import { broadcastInfer, sameAsInput } from './infer-helpers.js';
import { defineOp } from './op-def.js';

const cmp = (type: string) =>
  defineOp({
    type,
    attrs: {},
    infer: (ctx) => broadcastInfer(ctx, 'bool'),
    nonDifferentiable: 'bool output',
    call: (g: GraphBuilder, a: Operand, b: Operand): Value => g.emit(type, operands(g, a, b, type))[0],
  });

export const greater = cmp('Greater');
export const less = cmp('Less');
export const greaterOrEqual = cmp('GreaterOrEqual');
export const lessOrEqual = cmp('LessOrEqual');
export const equal = cmp('Equal');
export const and = defineOp({
  type: 'And',
  attrs: {},
  infer: (ctx) => broadcastInfer(ctx, 'bool'),
  nonDifferentiable: 'bool output',
  call: (g: GraphBuilder, a: Value, b: Value): Value => g.emit('And', [a, b])[0],
});
export const not = defineOp({
  type: 'Not',
  attrs: {},
  infer: (ctx) => sameAsInput(ctx),
  nonDifferentiable: 'bool output',
  call: (g: GraphBuilder, a: Value): Value => g.emit('Not', [a])[0],
});
