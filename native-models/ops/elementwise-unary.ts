// Elementwise unary ops: Neg, Sqrt, Exp, Log, Relu, Sigmoid, Tanh, Abs, Identity (ONNX operator spec, opset 13/14).
// Gradients are the textbook derivatives (JAX lax JVP rules; tfjs-core gradients/*_grad.ts), written in terms of
// the output where that saves work (sqrt, exp, sigmoid, tanh).
import type { GraphBuilder } from './builder.js';
import type { Value } from '../ir/graph.js';
import { sameAsInput } from './infer-helpers.js';
import { type GradContext, type Grads, defineOp } from './op-def.js';

const un = (type: string) => (g: GraphBuilder, x: Value): Value => g.emit(type, [x])[0];
const io = (ctx: GradContext): [Value, Value, Value] => [ctx.inputs[0]!, ctx.outputs[0], ctx.dOut[0]!];

export const neg = defineOp({
  type: 'Neg', attrs: {}, infer: (c) => sameAsInput(c),
  grad: (ctx: GradContext): Grads => [ctx.g.op.neg(ctx.dOut[0]!)],
  call: un('Neg'),
});

export const sqrt = defineOp({
  type: 'Sqrt', attrs: {}, infer: (c) => sameAsInput(c),
  // d sqrt(x) = 0.5 / sqrt(x)
  grad: (ctx: GradContext): Grads => {
    const [, y, dy] = io(ctx);
    return [ctx.g.op.div(ctx.g.op.mul(dy, 0.5), y)];
  },
  call: un('Sqrt'),
});

export const exp = defineOp({
  type: 'Exp', attrs: {}, infer: (c) => sameAsInput(c),
  grad: (ctx: GradContext): Grads => {
    const [, y, dy] = io(ctx);
    return [ctx.g.op.mul(dy, y)];
  },
  call: un('Exp'),
});

export const log = defineOp({
  type: 'Log', attrs: {}, infer: (c) => sameAsInput(c),
  grad: (ctx: GradContext): Grads => {
    const [x, , dy] = io(ctx);
    return [ctx.g.op.div(dy, x)];
  },
  call: un('Log'),
});

/**
 * 1 where a Relu's output y is > 0, 0 where it is 0: Ceil(Min(y, 1)), exact for every y >= 0 down to denormals. On
 * ORT's CPU provider (AMD EPYC Zen 2, 16 x 64 x 16^3), times dy: 5.3 ms, against 10.1 for Sign (a scalar loop) and
 * 7.4-8.1 for Where(Greater(y, 0), dy, 0).
 */
export function reluMask(g: GraphBuilder, y: Value): Value {
  return g.op.ceil(g.op.min(y, g.scalarLike(y, 1)));
}

export const relu = defineOp({
  type: 'Relu', attrs: {}, infer: (c) => sameAsInput(c),
  // subgradient 0 at x = 0 (as JAX and PyTorch): dy where y > 0, dy * reluMask(y)
  grad: (ctx: GradContext): Grads => {
    const [, y, dy] = io(ctx);
    return [ctx.g.op.mul(dy, reluMask(ctx.g, y))];
  },
  call: un('Relu'),
});

export const sigmoid = defineOp({
  type: 'Sigmoid', attrs: {}, infer: (c) => sameAsInput(c),
  grad: (ctx: GradContext): Grads => {
    const [, y, dy] = io(ctx);
    const { g } = ctx;
    return [g.op.mul(dy, g.op.mul(y, g.op.sub(1, y)))];
  },
  call: un('Sigmoid'),
});

export const tanh = defineOp({
  type: 'Tanh', attrs: {}, infer: (c) => sameAsInput(c),
  grad: (ctx: GradContext): Grads => {
    const [, y, dy] = io(ctx);
    const { g } = ctx;
    return [g.op.mul(dy, g.op.sub(1, g.op.mul(y, y)))];
  },
  call: un('Tanh'),
});

export const abs = defineOp({
  type: 'Abs', attrs: {}, infer: (c) => sameAsInput(c),
  // subgradient 0 at 0: dy * sign(x)
  grad: (ctx: GradContext): Grads => {
    const [x, , dy] = io(ctx);
    return [ctx.g.op.mul(dy, ctx.g.op.sign(x))];
  },
  call: un('Abs'),
});

export const sign = defineOp({
  type: 'Sign', attrs: {}, infer: (c) => sameAsInput(c),
  zeroGradient: 'piecewise constant: zero derivative almost everywhere',
  call: un('Sign'),
});

export const identity = defineOp({
  type: 'Identity', attrs: {}, infer: (c) => sameAsInput(c),
  grad: (ctx: GradContext): Grads => [ctx.dOut[0]],
  call: un('Identity'),
});
