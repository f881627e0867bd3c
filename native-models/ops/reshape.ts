// Shape-only ops: Reshape (opset 14), Flatten (13), Unsqueeze / Squeeze (13, axes as input).
// Each gradient reshapes dy back to the input's shape (static constant, or Shape(x) when dims are symbolic).
import type { GraphBuilder } from './builder.js';
import { GraphError } from '../ir/errors.js';
import type { Value } from '../ir/graph.js';
import { type Dim, type Shape, normAxis } from '../ir/shape.js';
import { constInts, need } from './infer-helpers.js';
import { type GradContext, defineOp } from './op-def.js';

const back = (ctx: GradContext): (Value | undefined)[] => [ctx.g.op.reshape(ctx.dOut[0]!, ctx.g.shapeOf(ctx.inputs[0]!))];

/** ONNX Reshape shape rule: 0 copies the input dim (allowzero=0), -1 is inferred. */
export function reshapeShape(x: Shape, target: number[], fresh: (i: number) => string): Shape {
  const out: Dim[] = target.map((t, i) => (t === 0 ? x[i] : t));
  const neg = out.indexOf(-1);
  if (neg >= 0) {
    const known = out.filter((_, i) => i !== neg);
    const allStatic = x.every((d) => typeof d === 'number') && known.every((d) => typeof d === 'number');
    if (allStatic) {
      const total = (x as number[]).reduce((a, b) => a * b, 1);
      const part = (known as number[]).reduce((a, b) => a * b, 1);
      out[neg] = total / part;
    } else {
      // symbolic: if the static parts cancel exactly, the inferred dim is the remaining symbol
      const sx = x.filter((d) => typeof d === 'string');
      const sk = known.filter((d) => typeof d === 'string');
      const px = x.filter((d): d is number => typeof d === 'number').reduce((a, b) => a * b, 1);
      const pk = known.filter((d): d is number => typeof d === 'number').reduce((a, b) => a * b, 1);
      if (sx.length === 1 && sk.length === 0 && px === pk) out[neg] = sx[0];
      else if (sx.length === sk.length && sx.every((s) => sk.includes(s))) out[neg] = px / pk;
      else out[neg] = fresh(neg);
    }
  }
  return out;
}

export const reshape = defineOp({
  type: 'Reshape',
  attrs: { allowzero: 'int' },
  nonDiffInputs: [1],
  infer: (ctx) => {
    const x = need(ctx, 0);
    const s = ctx.inputs[1];
    if (s?.constValue) return [{ dtype: x.dtype, shape: reshapeShape(x.shape, constInts(ctx, 1, 'shape'), ctx.fresh) }];
    // dynamic target shape (e.g. Shape(x) of another value): rank from the shape vector's length
    const len = s?.shape[0];
    if (typeof len !== 'number') throw new GraphError('target shape must have a static length', ctx.op, ctx.node);
    // when the shape comes from Shape(v), reuse v's dims
    const src = s!.producer?.opType === 'Shape' ? s!.producer.inputs[0] : undefined;
    return [{ dtype: x.dtype, shape: src ? [...src.shape] : Array.from({ length: len }, (_, i) => ctx.fresh(i)) }];
  },
  grad: back,
  call: (g: GraphBuilder, x: Value, shape: number[] | Value): Value =>
    g.emit('Reshape', [x, Array.isArray(shape) ? g.ints(shape) : shape])[0],
});

export const flatten = defineOp({
  type: 'Flatten',
  attrs: { axis: 'int' },
  infer: (ctx) => {
    const x = need(ctx, 0);
    const ax = ctx.attr('axis', 1);
    const a = ax < 0 ? ax + x.rank : ax;
    const prod = (s: Shape): Dim => (s.every((d) => typeof d === 'number') ? (s as number[]).reduce((p, q) => p * q, 1) : s.length === 1 ? s[0] : ctx.fresh(s.length));
    return [{ dtype: x.dtype, shape: [prod(x.shape.slice(0, a)), prod(x.shape.slice(a))] }];
  },
  grad: back,
  call: (g: GraphBuilder, x: Value, axis = 1): Value => g.emit('Flatten', [x], { axis })[0],
});

export const unsqueeze = defineOp({
  type: 'Unsqueeze',
  attrs: {},
  nonDiffInputs: [1],
  infer: (ctx) => {
    const x = need(ctx, 0);
    const r = x.rank + constInts(ctx, 1, 'axes').length;
    const axes = new Set(constInts(ctx, 1, 'axes').map((a) => normAxis(a, r, ctx.op, ctx.node)));
    const out: Shape = [];
    let k = 0;
    for (let i = 0; i < r; i++) out.push(axes.has(i) ? 1 : x.shape[k++]);
    return [{ dtype: x.dtype, shape: out }];
  },
  grad: back,
  call: (g: GraphBuilder, x: Value, axes: number[]): Value => g.emit('Unsqueeze', [x, g.ints(axes)])[0],
});

export const squeeze = defineOp({
  type: 'Squeeze',
  attrs: {},
  nonDiffInputs: [1],
  infer: (ctx) => {
    const x = need(ctx, 0);
    const axes = ctx.inputs[1]
      ? new Set(constInts(ctx, 1, 'axes').map((a) => normAxis(a, x.rank, ctx.op, ctx.node)))
      : new Set(x.shape.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0));
    for (const a of axes)
      if (x.shape[a] !== 1 && typeof x.shape[a] === 'number') throw new GraphError(`axis ${a} has size ${x.shape[a]}`, ctx.op, ctx.node);
    return [{ dtype: x.dtype, shape: x.shape.filter((_, i) => !axes.has(i)) }];
  },
  grad: back,
  call: (g: GraphBuilder, x: Value, axes?: number[]): Value => g.emit('Squeeze', [x, axes ? g.ints(axes) : undefined])[0],
});
