// Pad (ONNX opset 13, pads as input [x1_begin, x2_begin, ..., x1_end, ...]; a negative pad crops). Gradient for
// mode 'constant': slice the interior of dy back out (JAX pad transpose), or, where some pads crop, Pad dy with
// the negated pads.
import type { GraphBuilder } from './builder.js';
import { GraphError } from '../ir/errors.js';
import type { Value } from '../ir/graph.js';
import { toNumbers } from '../ir/tensor.js';
import { constInts, need } from './infer-helpers.js';
import { type GradContext, type Grads, defineOp } from './op-def.js';
import { SLICE_END } from './slice.js';

export const pad = defineOp({
  type: 'Pad',
  attrs: { mode: 'string' },
  nonDiffInputs: [1, 2],
  infer: (ctx) => {
    const x = need(ctx, 0);
    const p = constInts(ctx, 1, 'pads');
    if (p.length !== 2 * x.rank) throw new GraphError(`pads needs ${2 * x.rank} values`, ctx.op, ctx.node);
    const shape = x.shape.map((d, i) => (typeof d === 'number' ? d + p[i] + p[i + x.rank] : p[i] + p[i + x.rank] === 0 ? d : ctx.fresh(i)));
    return [{ dtype: x.dtype, shape }];
  },
  grad: (ctx: GradContext): Grads => {
    const { g, node } = ctx;
    const x = ctx.inputs[0]!;
    if (node.attr('mode', 'constant') !== 'constant') throw new GraphError('gradient only for mode=constant', node.opType, node.name);
    const p = toNumbers(ctx.inputs[1]!.constValue!);
    // a negative pad crops: the transpose pads back with zeros where x was cropped and crops where it was padded
    if (p.some((v) => v < 0)) return [g.op.pad(ctx.dOut[0]!, p.map((v) => -v))];
    const axes: number[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    for (let i = 0; i < x.rank; i++) {
      if (p[i] === 0 && p[i + x.rank] === 0) continue;
      axes.push(i);
      starts.push(p[i]);
      ends.push(p[i + x.rank] === 0 ? SLICE_END : -p[i + x.rank]);
    }
    return [g.op.slice(ctx.dOut[0]!, starts, ends, axes)];
  },
  call: (g: GraphBuilder, x: Value, pads: number[], value?: number, mode?: 'constant' | 'reflect' | 'edge'): Value =>
    g.emit('Pad', [x, g.ints(pads), value !== undefined ? g.scalarLike(x, value) : undefined], { mode })[0],
});
