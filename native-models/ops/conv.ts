// Conv (ONNX opset 11 semantics, N-D, here 3-D NCDHW) with its gradient. The gradient formulations live in
// ops/conv-grad.ts and are selectable (GradOptions.conv) because their speed differs a lot on ORT's CPU
// provider (DESIGN §5). Small-volume deep convs become one batched Gemm (ops/conv-batched-gemm.ts); float64 convs are lowered to im2col + MatMul (ops/lower-float64.ts): ORT has no double Conv.
import type { GraphBuilder } from './builder.js';
import { GraphError } from '../ir/errors.js';
import type { Value } from '../ir/graph.js';
import { type ConvAttrs, convOut, resolve, resolveNode } from './conv-attrs.js';
import { convBiasGrad, convInputGrad, convWeightGrad } from './conv-grad.js';
import { need } from './infer-helpers.js';
import { SLICE_END } from './slice.js';
import { convFloat64 } from './lower-float64.js';
import { convBatchedGemm, wantsBatchedGemm } from './conv-batched-gemm.js';
import { type GradContext, type Grads, defineOp } from './op-def.js';

export const conv = defineOp({
  type: 'Conv',
  attrs: { auto_pad: 'string', dilations: 'ints', group: 'int', kernel_shape: 'ints', pads: 'ints', strides: 'ints' },
  infer: (ctx) => {
    const x = need(ctx, 0);
    const w = need(ctx, 1);
    if (x.rank !== w.rank || x.rank < 3) throw new GraphError(`x ${x} and w ${w} ranks do not fit`, ctx.op, ctx.node);
    if (x.dtype !== w.dtype) throw new GraphError(`dtype mismatch ${x.dtype} vs ${w.dtype}`, ctx.op, ctx.node);
    const a = resolve(ctx.attr, w.shape.slice(2), ctx.op, ctx.node);
    const c = x.shape[1];
    const wc = w.shape[1];
    if (typeof c === 'number' && typeof wc === 'number' && c !== wc * a.group)
      throw new GraphError(`input has ${c} channels, weight expects ${wc} x group ${a.group}`, ctx.op, ctx.node);
    const sp = x.shape.slice(2).map((d, i) => convOut(d, i, a, false, ctx.fresh));
    return [{ dtype: x.dtype, shape: [x.shape[0], w.shape[0], ...sp] }];
  },
  grad: (ctx: GradContext): Grads => {
    const { g, node, options } = ctx;
    const [x, w, b] = ctx.inputs;
    const dy = ctx.dOut[0]!;
    const a = resolveNode(node, w!.shape.slice(2));
    return [
      ctx.wants[0] ? convInputGrad(g, dy, w!, x!, a, options.conv?.input ?? 'auto', node.name) : undefined,
      ctx.wants[1] ? convWeightGrad(g, x!, dy, w!, a, options.conv?.weight ?? 'auto', node.name, options.conv?.weightChunk) : undefined,
      b && ctx.wants[2] ? convBiasGrad(g, dy) : undefined,
    ];
  },
  call: (g: GraphBuilder, x: Value, w: Value, b?: Value, attrs: ConvAttrs = {}): Value => {
    // A strided 1^3 conv without padding (ResNet shortcut B) is lowered to a strided Slice + stride-1 Conv:
    // ORT's CPU Conv computes it ~25x slower than the same work after subsampling (bench/conv-grad.ts, 'down').
    if (x.dtype === 'float64') return convFloat64(g, x, w, b, attrs);
    if (wantsBatchedGemm(x, w, attrs)) return convBatchedGemm(g, x, w, b, attrs);
    const k = w.shape.slice(2);
    const s = attrs.strides;
    if (s && s.some((v) => v !== 1) && k.every((d) => d === 1) && !(attrs.pads ?? []).some((p) => p !== 0) && (attrs.group ?? 1) === 1) {
      const axes = k.map((_, i) => i + 2);
      const xs = g.op.slice(x, axes.map(() => 0), axes.map(() => SLICE_END), axes, s);
      return g.emit('Conv', [xs, w, b], { ...attrs, strides: undefined, pads: undefined, dilations: undefined })[0];
    }
    return g.emit('Conv', [x, w, b], { ...attrs })[0];
  },
});
