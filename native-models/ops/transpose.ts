// Transpose (ONNX opset 13); gradient is the transpose by the inverse permutation.
import type { GraphBuilder } from './builder.js';
import { GraphError } from '../ir/errors.js';
import type { Value } from '../ir/graph.js';
import { need } from './infer-helpers.js';
import { type GradContext, type Grads, defineOp } from './op-def.js';

export function inversePerm(p: number[]): number[] {
  const inv = new Array<number>(p.length);
  p.forEach((a, i) => (inv[a] = i));
  return inv;
}

export const transpose = defineOp({
  type: 'Transpose',
  attrs: { perm: 'ints' },
  infer: (ctx) => {
    const x = need(ctx, 0);
    const perm = ctx.attr('perm', x.shape.map((_, i) => x.rank - 1 - i));
    if (perm.length !== x.rank || new Set(perm).size !== x.rank)
      throw new GraphError(`bad perm [${perm}] for rank ${x.rank}`, ctx.op, ctx.node);
    return [{ dtype: x.dtype, shape: perm.map((a) => x.shape[a]) }];
  },
  grad: (ctx: GradContext): Grads => {
    const x = ctx.inputs[0]!;
    const perm = ctx.node.attr('perm', x.shape.map((_, i) => x.rank - 1 - i));
    return [ctx.g.op.transpose(ctx.dOut[0]!, inversePerm(perm))];
  },
  call: (g: GraphBuilder, x: Value, perm?: number[]): Value => g.emit('Transpose', [x], { perm })[0],
});
