// Undo broadcasting centrally: reduce-sum a gradient back to the shape of the operand that was broadcast
// (the rule of numpy/JAX `_unbroadcast` and tfjs `getReductionAxes`): sum away leading dims the operand did not
// have, and sum with keepdims over dims where the operand had size 1.
import type { GraphBuilder } from './builder.js';
import type { Value } from '../ir/graph.js';
import type { Shape } from '../ir/shape.js';

export function reductionAxes(from: Shape, to: Shape): { lead: number; keep: number[] } {
  const lead = from.length - to.length;
  const keep: number[] = [];
  for (let i = 0; i < to.length; i++) {
    const a = from[i + lead];
    const b = to[i];
    if (b === 1 && a !== 1) keep.push(i + lead);
  }
  return { lead, keep };
}

/** `grad` (shape of the broadcast result) summed down to `target`'s shape; returns `grad` when nothing to do. */
export function sumToShape(g: GraphBuilder, grad: Value, target: Value): Value {
  const { lead, keep } = reductionAxes(grad.shape, target.shape);
  let out = grad;
  const axes = [...Array.from({ length: Math.max(lead, 0) }, (_, i) => i), ...keep];
  if (axes.length === 0) return out;
  out = g.op.reduceSum(out, axes, { keepdims: 1 });
  if (lead > 0) out = g.op.reshape(out, g.shapeOf(target));
  return out;
}
