// Constant-producing and shape ops: Constant (opset 13), ConstantOfShape (9), Shape (15). None is
// differentiable (no float inputs flow to their outputs). `zerosLike` is the helper gradient rules use.
import type { GraphBuilder } from './builder.js';
import type { DType } from '../ir/dtype.js';
import { GraphError } from '../ir/errors.js';
import type { Value } from '../ir/graph.js';
import type { Shape } from '../ir/shape.js';
import { type TensorData, tensor, toNumbers } from '../ir/tensor.js';
import { need } from './infer-helpers.js';
import { type InferContext, defineOp } from './op-def.js';

/** Shape described by an int64 shape-vector value: from its constant, or from Shape(v)'s source. */
export function shapeFromVector(ctx: InferContext, s: Value): Shape {
  if (s.constValue) return toNumbers(s.constValue);
  if (s.producer?.opType === 'Shape' && s.producer.inputs[0]) return [...s.producer.inputs[0].shape];
  const len = s.shape[0];
  if (typeof len !== 'number') throw new GraphError('shape vector must have a static length', ctx.op, ctx.node);
  return Array.from({ length: len }, (_, i) => ctx.fresh(i));
}

export const constantOp = defineOp({
  type: 'Constant',
  attrs: { value: 'tensor' },
  infer: (ctx) => {
    const t = ctx.attr<TensorData | undefined>('value', undefined);
    if (!t) throw new GraphError('needs a value tensor', ctx.op, ctx.node);
    return [{ dtype: t.dtype, shape: [...t.dims] }];
  },
  nonDifferentiable: 'no inputs',
  call: (g: GraphBuilder, value: TensorData): Value => {
    const v = g.emit('Constant', [], { value })[0];
    v.constValue = value;
    return v;
  },
});

export const constantOfShape = defineOp({
  type: 'ConstantOfShape',
  attrs: { value: 'tensor' },
  infer: (ctx) => {
    const t = ctx.attr<TensorData | undefined>('value', undefined);
    return [{ dtype: t?.dtype ?? 'float32', shape: shapeFromVector(ctx, need(ctx, 0)) }];
  },
  nonDifferentiable: 'output depends only on a shape',
  call: (g: GraphBuilder, shape: Value, value = 0, dtype: DType = 'float32'): Value =>
    g.emit('ConstantOfShape', [shape], { value: tensor(dtype, [1], [value]) })[0],
});

export const shape = defineOp({
  type: 'Shape',
  attrs: { start: 'int', end: 'int' },
  infer: (ctx) => [{ dtype: 'int64', shape: [need(ctx, 0).rank] }],
  nonDifferentiable: 'int64 output',
  call: (g: GraphBuilder, x: Value): Value => g.emit('Shape', [x])[0],
});

/** Zeros with `v`'s shape and dtype (a constant when static, else ConstantOfShape(Shape(v))). */
export function zerosLike(g: GraphBuilder, v: Value): Value {
  return g.op.constantOfShape(g.shapeOf(v), 0, v.dtype);
}
