// ScatterElements (ONNX opset 16, with reduction) and GatherElements (opset 13); each one's gradient is the
// other (JAX scatter_add / gather transpose rules). ScatterElements with reduction=add is MaxPool's gradient.
import type { GraphBuilder } from './builder.js';
import { GraphError } from '../ir/errors.js';
import type { Value } from '../ir/graph.js';
import { need } from './infer-helpers.js';
import { type GradContext, type Grads, defineOp } from './op-def.js';
import { zerosLike } from './constant.js';

export const scatterElements = defineOp({
  type: 'ScatterElements',
  attrs: { axis: 'int', reduction: 'string' },
  nonDiffInputs: [1],
  infer: (ctx) => {
    const d = need(ctx, 0);
    return [{ dtype: d.dtype, shape: [...d.shape] }];
  },
  grad: (ctx: GradContext): Grads => {
    const { g, node } = ctx;
    const [, idx] = ctx.inputs as Value[];
    const dy = ctx.dOut[0]!;
    const red = node.attr('reduction', 'none');
    const axis = node.attr('axis', 0);
    if (red !== 'none' && red !== 'add') throw new GraphError(`no gradient for reduction=${red}`, node.opType, node.name);
    // reduction none: overwritten positions of data get no gradient
    const dData = ctx.wants[0]
      ? red === 'add'
        ? dy
        : g.op.scatterElements(dy, idx, zerosLike(g, ctx.inputs[2]!), { axis })
      : undefined;
    const dUpd = ctx.wants[2] ? g.op.gatherElements(dy, idx, axis) : undefined;
    return [dData, undefined, dUpd];
  },
  call: (g: GraphBuilder, data: Value, indices: Value, updates: Value, attrs: { axis?: number; reduction?: 'none' | 'add' | 'mul' | 'max' | 'min' } = {}): Value =>
    g.emit('ScatterElements', [data, indices, updates], { ...attrs })[0],
});

export const gatherElements = defineOp({
  type: 'GatherElements',
  attrs: { axis: 'int' },
  nonDiffInputs: [1],
  infer: (ctx) => [{ dtype: need(ctx, 0).dtype, shape: [...need(ctx, 1).shape] }],
  grad: (ctx: GradContext): Grads => {
    const { g, node } = ctx;
    const [data, idx] = ctx.inputs as Value[];
    return [g.op.scatterElements(zerosLike(g, data), idx, ctx.dOut[0]!, { axis: node.attr('axis', 0), reduction: 'add' })];
  },
  call: (g: GraphBuilder, data: Value, indices: Value, axis = 0): Value => g.emit('GatherElements', [data, indices], { axis })[0],
});
