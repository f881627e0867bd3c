// Gather (ONNX opset 13): x's slices along one axis picked by an index tensor; the output takes the index
// tensor's shape in place of that axis. Used where a formulation gathers many slices at once (the depth taps of
// ops/conv-depth2d.ts: one copy where strided Slices and a Concat made two). Gradient (JAX gather transpose): dy
// scattered back with ScatterElements reduction=add, an index picked twice summing both gradients.
import type { GraphBuilder } from './builder.js';
import { GraphError } from '../ir/errors.js';
import type { Value } from '../ir/graph.js';
import { normAxis } from '../ir/shape.js';
import { zerosLike } from './constant.js';
import { need } from './infer-helpers.js';
import { type GradContext, type Grads, defineOp } from './op-def.js';

export const gather = defineOp({
  type: 'Gather',
  attrs: { axis: 'int' },
  nonDiffInputs: [1],
  infer: (ctx) => {
    const x = need(ctx, 0);
    const idx = need(ctx, 1);
    if (idx.dtype !== 'int64') throw new GraphError(`indices must be int64, got ${idx}`, ctx.op, ctx.node);
    const axis = normAxis(ctx.attr('axis', 0), x.rank, ctx.op, ctx.node);
    return [{ dtype: x.dtype, shape: [...x.shape.slice(0, axis), ...idx.shape, ...x.shape.slice(axis + 1)] }];
  },
  grad: (ctx: GradContext): Grads => {
    const { g, node } = ctx;
    const [x, idx] = ctx.inputs as Value[];
    const axis = normAxis(node.attr('axis', 0), x.rank, node.opType, node.name);
    const k = idx.shape.reduce<number | undefined>((p, d) => (typeof d === 'number' && p !== undefined ? p * d : undefined), 1);
    if (k === undefined || !x.shape.every((d) => typeof d === 'number')) throw new GraphError('gradient needs static shapes', node.opType, node.name);
    // dy with the index dims flattened into one axis of k entries, and the indices spread over its shape
    const shape = x.shape as number[];
    const dyShape = [...shape.slice(0, axis), k, ...shape.slice(axis + 1)];
    const dy = g.op.reshape(ctx.dOut[0]!, dyShape);
    const spread = g.op.expand(g.op.reshape(idx, dyShape.map((d, i) => (i === axis ? k : 1))), g.ints(dyShape));
    return [g.op.scatterElements(zerosLike(g, x), spread, dy, { axis, reduction: 'add' })];
  },
  call: (g: GraphBuilder, x: Value, indices: Value, axis = 0): Value => g.emit('Gather', [x, indices], { axis })[0],
});
