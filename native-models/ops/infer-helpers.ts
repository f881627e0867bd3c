// Shared shape-inference helpers for op definitions (pure functions of input infos and attributes).
import { GraphError } from '../ir/errors.js';
import type { Value } from '../ir/graph.js';
import { broadcastShapes } from '../ir/shape.js';
import { toNumbers } from '../ir/tensor.js';
import type { InferContext, ValueInfo } from './op-def.js';

export function need(ctx: InferContext, i: number): Value {
  const v = ctx.inputs[i];
  if (!v) throw new GraphError(`missing input ${i}`, ctx.op, ctx.node);
  return v;
}

/** Elementwise op over broadcast inputs; output dtype of input 0 (or `dtype`). */
export function broadcastInfer(ctx: InferContext, dtype?: ValueInfo['dtype'], first = 0): ValueInfo[] {
  const ins = ctx.inputs.slice(first).filter((v): v is Value => !!v);
  if (ins.length === 0) throw new GraphError('no inputs', ctx.op, ctx.node);
  const base = ins[0].dtype;
  for (const v of ins)
    if (v.dtype !== base) throw new GraphError(`dtype mismatch: ${base} vs ${v.dtype} (${v.name})`, ctx.op, ctx.node);
  return [{ dtype: dtype ?? base, shape: broadcastShapes(ins.map((v) => v.shape), ctx.op, ctx.node) }];
}

export function sameAsInput(ctx: InferContext, i = 0): ValueInfo[] {
  const v = need(ctx, i);
  return [{ dtype: v.dtype, shape: [...v.shape] }];
}

/** Constant int values of input `i` (e.g. axes, shape, pads), or a GraphError when it is not a constant. */
export function constInts(ctx: InferContext, i: number, what: string): number[] {
  const v = need(ctx, i);
  if (!v.constValue) throw new GraphError(`${what} (input ${i}) must be a constant for shape inference`, ctx.op, ctx.node);
  return toNumbers(v.constValue);
}

export function optConstInts(ctx: InferContext, i: number): number[] | undefined {
  const v = ctx.inputs[i];
  return v?.constValue ? toNumbers(v.constValue) : undefined;
}
