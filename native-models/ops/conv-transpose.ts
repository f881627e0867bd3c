// ConvTranspose (ONNX opset 11), weight [C_in, C_out/group, k...]. It is the adjoint of Conv with the same
// weight, so dx = Conv(dy, w) with the forward strides/pads/dilations, and dw is Conv's weight gradient with the
// roles of input and output exchanged (x <- dy, dy <- x).
import type { GraphBuilder } from './builder.js';
import { rawConv } from './conv-raw.js';
import { GraphError } from '../ir/errors.js';
import type { Value } from '../ir/graph.js';
import { type ConvAttrs, convTransposeOut, resolve, resolveNode } from './conv-attrs.js';
import { convBiasGrad, convWeightGrad } from './conv-grad.js';
import { need } from './infer-helpers.js';
import { type GradContext, type Grads, defineOp } from './op-def.js';

export interface ConvTransposeAttrs extends ConvAttrs {
  output_padding?: number[];
}

export const convTranspose = defineOp({
  type: 'ConvTranspose',
  attrs: {
    auto_pad: 'string', dilations: 'ints', group: 'int', kernel_shape: 'ints', output_padding: 'ints',
    output_shape: 'ints', pads: 'ints', strides: 'ints',
  },
  infer: (ctx) => {
    const x = need(ctx, 0);
    const w = need(ctx, 1);
    if (x.rank !== w.rank) throw new GraphError(`x ${x} and w ${w} ranks differ`, ctx.op, ctx.node);
    if (ctx.attrs.output_shape) throw new GraphError('output_shape is not supported; give pads/output_padding', ctx.op, ctx.node);
    const a = resolve(ctx.attr, w.shape.slice(2), ctx.op, ctx.node);
    const op = ctx.attr('output_padding', new Array<number>(x.rank - 2).fill(0));
    const wc = w.shape[1];
    const sp = x.shape.slice(2).map((d, i) => convTransposeOut(d, i, a, op, ctx.fresh));
    return [{ dtype: x.dtype, shape: [x.shape[0], typeof wc === 'number' ? wc * a.group : ctx.fresh(1), ...sp] }];
  },
  grad: (ctx: GradContext): Grads => {
    const { g, node, options } = ctx;
    const [x, w, b] = ctx.inputs;
    const dy = ctx.dOut[0]!;
    const a = resolveNode(node, w!.shape.slice(2));
    return [
      ctx.wants[0]
        ? rawConv(g, dy, w!, undefined, { strides: a.s, pads: [...a.pb, ...a.pe], dilations: a.d, group: a.group })
        : undefined,
      ctx.wants[1] ? convWeightGrad(g, dy, x!, w!, a, options.conv?.weight ?? 'auto', node.name, options.conv?.weightChunk) : undefined,
      b && ctx.wants[2] ? convBiasGrad(g, dy) : undefined,
    ];
  },
  call: (g: GraphBuilder, x: Value, w: Value, b?: Value, attrs: ConvTransposeAttrs = {}): Value =>
    g.emit('ConvTranspose', [x, w, b], { ...attrs })[0],
});
