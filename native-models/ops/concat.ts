// Concat (ONNX opset 13); gradient slices dy back into the pieces (static sizes along the axis).
import type { GraphBuilder } from './builder.js';
import { GraphError } from '../ir/errors.js';
import type { Value } from '../ir/graph.js';
import { type Dim, normAxis } from '../ir/shape.js';
import { type GradContext, type Grads, defineOp } from './op-def.js';

export const concat = defineOp({
  type: 'Concat',
  attrs: { axis: 'int' },
  infer: (ctx) => {
    const ins = ctx.inputs as Value[];
    if (ins.length === 0) throw new GraphError('no inputs', ctx.op, ctx.node);
    const r = ins[0].rank;
    const ax = normAxis(ctx.attr('axis', 0), r, ctx.op, ctx.node);
    let size: Dim = 0;
    for (const v of ins) {
      if (v.rank !== r || v.dtype !== ins[0].dtype) throw new GraphError(`input ${v} differs in rank or dtype`, ctx.op, ctx.node);
      const d = v.shape[ax];
      size = typeof size === 'number' && typeof d === 'number' ? size + d : ctx.fresh(ax);
    }
    const shape = [...ins[0].shape];
    shape[ax] = size;
    return [{ dtype: ins[0].dtype, shape }];
  },
  grad: (ctx: GradContext): Grads => {
    const { g, node } = ctx;
    const ins = ctx.inputs as Value[];
    const ax = normAxis(node.attr('axis', 0), ins[0].rank);
    let off = 0;
    return ins.map((v, i) => {
      const d = v.shape[ax];
      if (typeof d !== 'number') throw new GraphError('gradient needs static sizes along the axis', node.opType, node.name);
      const out = ctx.wants[i] ? g.op.slice(ctx.dOut[0]!, [off], [off + d], [ax]) : undefined;
      off += d;
      return out;
    });
  },
  call: (g: GraphBuilder, xs: Value[], axis: number): Value => g.emit('Concat', xs, { axis })[0],
});
