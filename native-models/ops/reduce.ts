// Reductions: ReduceSum (axes as input, opset 13), ReduceMean / ReduceSumSquare / ReduceMax (axes attribute,
// opset 13 <= v < 18, so opset 17). Gradients broadcast dy back over the reduced axes (JAX reduce_sum transpose;
// mean divides by the count; sum-square multiplies by 2x; max routes to the arg-max positions, ties shared).
import type { GraphBuilder } from './builder.js';
import { GraphError } from '../ir/errors.js';
import type { Value } from '../ir/graph.js';
import { type Shape, normAxis } from '../ir/shape.js';
import { need, optConstInts } from './infer-helpers.js';
import { type GradContext, type Grads, type InferContext, defineOp } from './op-def.js';

export interface ReduceAttrs {
  keepdims?: number;
}

function reducedShape(x: Shape, axes: number[] | undefined, keep: boolean, op: string, node: string): Shape {
  const all = axes === undefined || axes.length === 0;
  const set = new Set(all ? x.map((_, i) => i) : axes!.map((a) => normAxis(a, x.length, op, node)));
  const out: Shape = [];
  x.forEach((d, i) => {
    if (!set.has(i)) out.push(d);
    else if (keep) out.push(1);
  });
  return out;
}

function inferReduce(ctx: InferContext, axes: number[] | undefined): { dtype: Value['dtype']; shape: Shape }[] {
  const x = need(ctx, 0);
  const keep = ctx.attr('keepdims', 1) === 1;
  if (ctx.attr('noop_with_empty_axes', 0) && (!axes || axes.length === 0)) return [{ dtype: x.dtype, shape: [...x.shape] }];
  return [{ dtype: x.dtype, shape: reducedShape(x.shape, axes, keep, ctx.op, ctx.node) }];
}

/** dy reshaped to keepdims form, then broadcast (Expand) to x's shape. */
function spread(ctx: GradContext, axes: number[] | undefined, dy: Value): { full: Value; count: number | undefined; ax: number[] } {
  const { g, node } = ctx;
  const x = ctx.inputs[0]!;
  const ax = !axes || axes.length === 0 ? x.shape.map((_, i) => i) : axes.map((a) => normAxis(a, x.rank, node.opType, node.name));
  let d = dy;
  if (node.attr('keepdims', 1) === 0) d = g.op.unsqueeze(d, [...ax].sort((a, b) => a - b));
  let count: number | undefined = 1;
  for (const a of ax) count = typeof x.shape[a] === 'number' && count !== undefined ? count * (x.shape[a] as number) : undefined;
  return { full: g.op.expand(d, g.shapeOf(x)), count, ax };
}

function axesOf(ctx: GradContext): number[] | undefined {
  const v = ctx.inputs[1];
  if (!v) return undefined;
  if (!v.constValue) throw new GraphError('gradient needs constant axes', ctx.node.opType, ctx.node.name);
  return Array.from(v.constValue.data as BigInt64Array, Number);
}

export const reduceSum = defineOp({
  type: 'ReduceSum',
  attrs: { keepdims: 'int', noop_with_empty_axes: 'int' },
  nonDiffInputs: [1],
  infer: (ctx) => inferReduce(ctx, ctx.inputs[1] ? optConstInts(ctx, 1) ?? (() => { throw new GraphError('axes must be constant', ctx.op, ctx.node); })() : undefined),
  grad: (ctx: GradContext): Grads => [spread(ctx, axesOf(ctx), ctx.dOut[0]!).full],
  call: (g: GraphBuilder, x: Value, axes?: number[], attrs: ReduceAttrs = {}): Value =>
    g.emit('ReduceSum', [x, axes && axes.length ? g.ints(axes) : undefined], { ...attrs })[0],
});

export const reduceMean = defineOp({
  type: 'ReduceMean',
  attrs: { axes: 'ints', keepdims: 'int' },
  infer: (ctx) => inferReduce(ctx, ctx.attr<number[] | undefined>('axes', undefined)),
  grad: (ctx: GradContext): Grads => {
    const { g, node } = ctx;
    const { full, count } = spread(ctx, node.attr<number[]>('axes'), ctx.dOut[0]!);
    if (count === undefined) throw new GraphError('gradient needs static reduced dims', node.opType, node.name);
    return [g.op.mul(full, 1 / count)];
  },
  call: (g: GraphBuilder, x: Value, axes?: number[], attrs: ReduceAttrs = {}): Value =>
    g.emit('ReduceMean', [x], { axes: axes && axes.length ? axes : undefined, ...attrs })[0],
});

export const reduceSumSquare = defineOp({
  type: 'ReduceSumSquare',
  attrs: { axes: 'ints', keepdims: 'int' },
  infer: (ctx) => inferReduce(ctx, ctx.attr<number[] | undefined>('axes', undefined)),
  grad: (ctx: GradContext): Grads => {
    const { g, node } = ctx;
    const { full } = spread(ctx, node.attr<number[]>('axes'), ctx.dOut[0]!);
    return [g.op.mul(full, g.op.mul(ctx.inputs[0]!, 2))];
  },
  call: (g: GraphBuilder, x: Value, axes?: number[], attrs: ReduceAttrs = {}): Value =>
    g.emit('ReduceSumSquare', [x], { axes: axes && axes.length ? axes : undefined, ...attrs })[0],
});

export const reduceMax = defineOp({
  type: 'ReduceMax',
  attrs: { axes: 'ints', keepdims: 'int' },
  infer: (ctx) => inferReduce(ctx, ctx.attr<number[] | undefined>('axes', undefined)),
  grad: (ctx: GradContext): Grads => {
    const { g, node } = ctx;
    const x = ctx.inputs[0]!;
    const axes = node.attr<number[]>('axes');
    const { full } = spread(ctx, axes, ctx.dOut[0]!);
    const { full: yFull } = spread(ctx, axes, ctx.outputs[0]);
    // mask of arg-max positions; ties share the gradient equally (JAX reduce_max JVP)
    const mask = g.op.cast(g.op.equal(x, yFull), x.dtype);
    const share = g.op.div(mask, g.op.reduceSum(mask, axes, { keepdims: 1 }));
    return [g.op.mul(full, share)];
  },
  call: (g: GraphBuilder, x: Value, axes?: number[], attrs: ReduceAttrs = {}): Value =>
    g.emit('ReduceMax', [x], { axes: axes && axes.length ? axes : undefined, ...attrs })[0],
});
