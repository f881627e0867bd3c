// Conv (ONNX opset 11 semantics, N-D, here 3-D NCDHW) with its gradient. The gradient formulations live in
// ops/conv-grad.ts and are selectable (GradOptions.conv) because their speed differs a lot on ORT's CPU
// provider (DESIGN §5). The forward formulation is planned too (ops/conv-plan.ts): ORT's Conv, one batched Gemm
// for small-volume deep convs (ops/conv-batched-gemm.ts), NCHWc depth taps (ops/conv-nchwc.ts), or depth taps as
// the channels of one 2-D conv (ops/conv-depth2d.ts: constant weights, or few stacked channels on NCHWc); float64 convs
// are lowered to im2col + MatMul (ops/lower-float64.ts): ORT has no double Conv.
import type { GraphBuilder } from './builder.js';
import { GraphError } from '../ir/errors.js';
import type { Value } from '../ir/graph.js';
import { type ConvAttrs, type Resolved, convOut, resolve, resolveNode } from './conv-attrs.js';
import { chooseForm, convBiasGrad, convInputGrad, convWeightGrad } from './conv-grad.js';
import { nchwcConv3d } from './conv-nchwc.js';
import { NOMINAL_BATCH, convSignature, depth2dApplies, nchwcApplies } from './conv-plan.js';
import { depth2dConv3d } from './conv-depth2d.js';
import { need } from './infer-helpers.js';
import { rawConv } from './conv-raw.js';
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
    const conv = { ...g.convOptions, ...options.conv };
    return [
      ctx.wants[0] ? convInputGrad(g, dy, w!, x!, a, conv.input ?? 'auto', node.name) : undefined,
      ctx.wants[1] ? convWeightGrad(g, x!, dy, w!, a, conv.weight ?? 'auto', node.name, conv.weightChunk) : undefined,
      b && ctx.wants[2] ? convBiasGrad(g, dy) : undefined,
    ];
  },
  /** The planned formulation (ops/conv-plan.ts): ORT's Conv (rawConv: float64 and strided 1^3 lowerings), one
   *  batched Gemm, NCHWc depth taps, or depth taps as the channels of one 2-D conv. */
  call: (g: GraphBuilder, x: Value, w: Value, b?: Value, attrs: ConvAttrs = {}): Value => {
    if (x.dtype === 'float64') return rawConv(g, x, w, b, attrs);
    const a = resolve((n, d) => ((attrs as Record<string, unknown>)[n] as typeof d | undefined) ?? d, w.shape.slice(2), 'Conv', '');
    const form = chooseForm(g, 'forward', x, w, a, g.convOptions.forward);
    if ((form === 'batched-gemm' || form === 'im2col-matmul') && wantsBatchedGemm(x, w, attrs)) return convBatchedGemm(g, x, w, b, attrs, form === 'im2col-matmul');
    if (form === 'nchwc' || form === 'depth-2d') {
      const sig = convSignature('forward', x, w, a, NOMINAL_BATCH);
      const block = g.convPlanner?.nchwcBlock;
      if (form === 'nchwc' && sig && block && nchwcApplies(sig, a.group, block)) return planned(g, x, w, b, a, () => nchwcConv3d(g, x, w, b, a, block));
      if (form === 'depth-2d' && sig && depth2dApplies(sig, a.group)) return planned(g, x, w, b, a, () => depth2dConv3d(g, x, w, b, a, block));
    }
    return rawConv(g, x, w, b, attrs);
  },
});

/** A forward formulation (NCHWc depth taps, depth taps as channels) as a custom-gradient region whose backward is
 *  Conv's own planned rules. */
function planned(g: GraphBuilder, x: Value, w: Value, b: Value | undefined, a: Resolved, forward: () => Value): Value {
  const [y] = g.withCustomGradient(
    b ? [x, w, b] : [x, w],
    () => [forward()],
    ({ g, dOut, wants, options }) => {
      const dy = dOut[0]!;
      const o = { ...g.convOptions, ...options.conv };
      return [
        wants[0] ? convInputGrad(g, dy, w, x, a, o.input ?? 'auto', 'planned conv') : undefined,
        wants[1] ? convWeightGrad(g, x, dy, w, a, o.weight ?? 'auto', 'planned conv', o.weightChunk) : undefined,
        b && wants[2] ? convBiasGrad(g, dy) : undefined,
      ];
    },
  );
  return y;
}
