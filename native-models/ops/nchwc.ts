// onnxruntime's blocked-layout contrib ops (domain com.microsoft.nchwc, version 1; CPU provider only; source:
// onnxruntime/contrib_ops/cpu/nchwc_ops.cc and MLAS's NCHWc kernels). An NCHWc tensor keeps a 4-D shape
// [N, C', H, W] with C' = C rounded up to the block B (8 on AVX2, 16 on AVX-512; MlasNchwcGetBlockSize) and its
// data in blocks [N, C'/B, H, W, B]:
// - ReorderInput: NCHW (or NHWC with channels_last) -> NCHWc; C must be a multiple of 4.
// - ReorderOutput: NCHWc -> NCHW with `channels` channels (C' - channels < B).
// - Conv: 2-D only; X NCHWc (or plain NCHW when C < B), W blocked OIHWBiBo ([O'/B, C'/B, kh, kw, Bi, Bo] data in
//   an [O', C', kh, kw] shape), optional bias B and Sum (added to the output: chains of convs accumulate into one
//   buffer), optional fused activation (applied to conv + bias + Sum).
// - MaxPool: 2-D only, NCHWc in and out (no Indices).
// Used only inside Conv formulations (ops/conv-nchwc.ts) whose custom-gradient region supplies the gradient, so
// the ops themselves declare no gradient.
import type { GraphBuilder } from './builder.js';
import { GraphError } from '../ir/errors.js';
import type { Value } from '../ir/graph.js';
import { type Resolved, convOut, resolve } from './conv-attrs.js';
import { need } from './infer-helpers.js';
import { defineOp } from './op-def.js';

export const NCHWC_DOMAIN = 'com.microsoft.nchwc';
const WHY = 'NCHWc layout op: used inside a Conv formulation whose custom-gradient region supplies the gradient';

const roundUp = (c: number, b: number): number => Math.ceil(c / b) * b;

export const reorderInput = defineOp({
  type: 'ReorderInput',
  domain: NCHWC_DOMAIN,
  attrs: { channels_last: 'int', block: 'int' },
  infer: (ctx) => {
    const x = need(ctx, 0);
    if (x.rank !== 4 || x.dtype !== 'float32') throw new GraphError(`needs a float32 4-D input, got ${x}`, ctx.op, ctx.node);
    const last = ctx.attr('channels_last', 0) === 1;
    const c = x.shape[last ? 3 : 1];
    const b = ctx.attr('block', 8);
    if (typeof c !== 'number' || c % 4 !== 0) throw new GraphError(`channels must be a static multiple of 4, got ${x}`, ctx.op, ctx.node);
    const sp = last ? x.shape.slice(1, 3) : x.shape.slice(2);
    return [{ dtype: x.dtype, shape: [x.shape[0], roundUp(c, b), ...sp] }];
  },
  nonDifferentiable: WHY,
  /** `block` is this machine's NCHWc block size; it is not an ONNX attribute and is stripped before serialising. */
  call: (g: GraphBuilder, x: Value, block: number): Value => stripBlock(g.emit(`${NCHWC_DOMAIN}.ReorderInput`, [x], { block })[0]),
});

export const reorderOutput = defineOp({
  type: 'ReorderOutput',
  domain: NCHWC_DOMAIN,
  attrs: { channels: 'int', channels_last: 'int' },
  infer: (ctx) => {
    const x = need(ctx, 0);
    const c = ctx.attr('channels', 0);
    if (x.rank !== 4 || c <= 0) throw new GraphError(`needs a 4-D input and channels > 0, got ${x}`, ctx.op, ctx.node);
    return [{ dtype: x.dtype, shape: [x.shape[0], c, x.shape[2], x.shape[3]] }];
  },
  nonDifferentiable: WHY,
  call: (g: GraphBuilder, x: Value, channels: number): Value => g.emit(`${NCHWC_DOMAIN}.ReorderOutput`, [x], { channels })[0],
});

export interface NchwcConvAttrs {
  strides?: number[];
  pads?: number[];
  dilations?: number[];
  kernel_shape?: number[];
  activation?: string;
}

export const nchwcConv = defineOp({
  type: 'Conv',
  domain: NCHWC_DOMAIN,
  attrs: { auto_pad: 'string', dilations: 'ints', group: 'int', kernel_shape: 'ints', pads: 'ints', strides: 'ints', activation: 'string', activation_params: 'floats' },
  infer: (ctx) => {
    const x = need(ctx, 0);
    const w = need(ctx, 1);
    if (x.rank !== 4 || w.rank !== 4) throw new GraphError(`2-D only: x ${x}, w ${w}`, ctx.op, ctx.node);
    const a: Resolved = resolve(ctx.attr, w.shape.slice(2), ctx.op, ctx.node);
    const shape = [x.shape[0], w.shape[0], ...x.shape.slice(2).map((d, i) => convOut(d, i, a, false, ctx.fresh))];
    const sum = ctx.inputs[3];
    if (sum && sum.shape.some((d, i) => typeof d === 'number' && typeof shape[i] === 'number' && d !== shape[i]))
      throw new GraphError(`Sum ${sum} does not have the output's shape [${shape}]`, ctx.op, ctx.node);
    return [{ dtype: x.dtype, shape }];
  },
  nonDifferentiable: WHY,
  call: (g: GraphBuilder, x: Value, w: Value, b?: Value, sum?: Value, attrs: NchwcConvAttrs = {}): Value =>
    g.emit(`${NCHWC_DOMAIN}.Conv`, [x, w, b, sum], { ...attrs })[0],
});

export const nchwcMaxPool = defineOp({
  type: 'MaxPool',
  domain: NCHWC_DOMAIN,
  attrs: { auto_pad: 'string', ceil_mode: 'int', dilations: 'ints', kernel_shape: 'ints', pads: 'ints', strides: 'ints' },
  infer: (ctx) => {
    const x = need(ctx, 0);
    const k = ctx.attr<number[] | undefined>('kernel_shape', undefined);
    if (x.rank !== 4 || !k || k.length !== 2) throw new GraphError(`2-D only, with kernel_shape: x ${x}`, ctx.op, ctx.node);
    const a = resolve(ctx.attr, k, ctx.op, ctx.node);
    const ceil = ctx.attr('ceil_mode', 0) === 1;
    return [{ dtype: x.dtype, shape: [x.shape[0], x.shape[1], ...x.shape.slice(2).map((d, i) => convOut(d, i, a, ceil, ctx.fresh))] }];
  },
  nonDifferentiable: 'NCHWc layout op: used only in inference graphs (models/blocked-stem.ts)',
  call: (g: GraphBuilder, x: Value, attrs: { kernel_shape: number[]; strides?: number[]; pads?: number[] }): Value =>
    g.emit(`${NCHWC_DOMAIN}.MaxPool`, [x], { ...attrs })[0],
});

/** ReorderInput's `block` attribute only informs shape inference: ORT's kernel has none, so it is removed. */
function stripBlock(v: Value): Value {
  delete (v.producer!.attrs as Record<string, unknown>).block;
  return v;
}
