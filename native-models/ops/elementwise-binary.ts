// Broadcasting binary arithmetic: Add, Sub, Mul, Div, Pow (ONNX operator spec, opset 14/15).
// Gradients (JAX `jax._src.lax.lax` add/sub/mul/div/pow JVP transposes; tfjs-core gradients/*_grad.ts), with
// broadcasting undone by autodiff/sum-to-shape.ts.
import type { GraphBuilder } from './builder.js';
import { GraphError } from '../ir/errors.js';
import type { Value } from '../ir/graph.js';
import { broadcastShapes } from '../ir/shape.js';
import { sumToShape } from './sum-to-shape.js';
import { broadcastInfer } from './infer-helpers.js';
import { type GradContext, type Grads, defineOp } from './op-def.js';

export type Operand = Value | number;

/** Turn numbers into rank-0 constants of the other operand's dtype. */
export function operands(g: GraphBuilder, a: Operand, b: Operand, op: string): [Value, Value] {
  if (typeof a === 'number' && typeof b === 'number') throw new GraphError('at least one operand must be a Value', op);
  const va = typeof a === 'number' ? g.scalarLike(b as Value, a) : a;
  const vb = typeof b === 'number' ? g.scalarLike(va, b) : b;
  return [va, vb];
}

const bin = (type: string) => (g: GraphBuilder, a: Operand, b: Operand): Value =>
  g.emit(type, operands(g, a, b, type))[0];

function ins(ctx: GradContext): [Value, Value, Value] {
  return [ctx.inputs[0]!, ctx.inputs[1]!, ctx.dOut[0]!];
}

export const add = defineOp({
  type: 'Add',
  attrs: {},
  infer: (ctx) => broadcastInfer(ctx),
  grad: (ctx: GradContext): Grads => {
    const [a, b, dy] = ins(ctx);
    return [ctx.wants[0] ? sumToShape(ctx.g, dy, a) : undefined, ctx.wants[1] ? sumToShape(ctx.g, dy, b) : undefined];
  },
  call: bin('Add'),
});

export const sub = defineOp({
  type: 'Sub',
  attrs: {},
  infer: (ctx) => broadcastInfer(ctx),
  grad: (ctx: GradContext): Grads => {
    const [a, b, dy] = ins(ctx);
    const { g } = ctx;
    return [ctx.wants[0] ? sumToShape(g, dy, a) : undefined, ctx.wants[1] ? sumToShape(g, g.op.neg(dy), b) : undefined];
  },
  call: bin('Sub'),
});

export const mul = defineOp({
  type: 'Mul',
  attrs: {},
  infer: (ctx) => broadcastInfer(ctx),
  grad: (ctx: GradContext): Grads => {
    const [a, b, dy] = ins(ctx);
    const { g } = ctx;
    return [
      ctx.wants[0] ? sumToShape(g, g.op.mul(dy, b), a) : undefined,
      ctx.wants[1] ? sumToShape(g, g.op.mul(dy, a), b) : undefined,
    ];
  },
  call: bin('Mul'),
});

export const div = defineOp({
  type: 'Div',
  attrs: {},
  infer: (ctx) => broadcastInfer(ctx),
  grad: (ctx: GradContext): Grads => {
    const [a, b, dy] = ins(ctx);
    const { g } = ctx;
    const da = ctx.wants[0] || ctx.wants[1] ? g.op.div(dy, b) : undefined;
    return [
      ctx.wants[0] ? sumToShape(g, da!, a) : undefined,
      // d(a/b)/db = -(a/b)/b = -y/b
      ctx.wants[1] ? sumToShape(g, g.op.neg(g.op.mul(da!, ctx.outputs[0])), b) : undefined,
    ];
  },
  call: bin('Div'),
});

export const pow = defineOp({
  type: 'Pow',
  attrs: {},
  // Pow allows a different exponent dtype; output has the base's dtype.
  infer: (ctx) => [{ dtype: ctx.inputs[0]!.dtype, shape: broadcastShapes([ctx.inputs[0]!.shape, ctx.inputs[1]!.shape], ctx.op, ctx.node) }],
  grad: (ctx: GradContext): Grads => {
    const [a, b, dy] = ins(ctx);
    const { g } = ctx;
    if (b.dtype !== a.dtype && ctx.wants[1]) throw new GraphError('gradient w.r.t. an exponent of another dtype', 'Pow', ctx.node.name);
    const bb = b.dtype === a.dtype ? b : g.op.cast(b, a.dtype);
    // d/da a^b = b a^(b-1);  d/db a^b = a^b log a  (JAX pow_jvp_lhs / pow_jvp_rhs)
    const da = ctx.wants[0] ? sumToShape(g, g.op.mul(dy, g.op.mul(bb, g.op.pow(a, g.op.sub(bb, 1)))), a) : undefined;
    const db = ctx.wants[1] ? sumToShape(g, g.op.mul(dy, g.op.mul(ctx.outputs[0], g.op.log(a))), b) : undefined;
    return [da, db];
  },
  call: bin('Pow'),
});
