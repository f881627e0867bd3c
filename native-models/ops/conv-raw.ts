// A Conv emitted as it is, without a formulation choice: what the formulations themselves use for their inner
// convolutions (the flipped-weight Conv of an input gradient, conv-nc's dy-as-kernel Conv, the identity-kernel
// im2col, the sub-pixel phase Conv), so that a plan chooses per network conv and role, and a formulation never
// re-enters another (the batched-Gemm lowering once recursed that way without end). Two lowerings still apply,
// because ORT's CPU provider needs them whatever the plan: float64 convs become im2col + MatMul
// (ops/lower-float64.ts: ORT has no double Conv), and a strided 1^3 conv without padding becomes a strided Slice +
// stride-1 Conv (ORT's strided 1^3 Conv is ~25x slower than the same work after subsampling: bench/conv-grad.ts,
// 'down').
import type { GraphBuilder } from './builder.js';
import type { Value } from '../ir/graph.js';
import type { ConvAttrs } from './conv-attrs.js';
import { convFloat64 } from './lower-float64.js';
import { SLICE_END } from './slice.js';

export function rawConv(g: GraphBuilder, x: Value, w: Value, b: Value | undefined, attrs: ConvAttrs): Value {
  if (x.dtype === 'float64') return convFloat64(g, x, w, b, attrs);
  const k = w.shape.slice(2);
  const s = attrs.strides;
  if (s && s.some((v) => v !== 1) && k.every((d) => d === 1) && !(attrs.pads ?? []).some((p) => p !== 0) && (attrs.group ?? 1) === 1) {
    const axes = k.map((_, i) => i + 2);
    const xs = g.op.slice(x, axes.map(() => 0), axes.map(() => SLICE_END), axes, s);
    return g.emit('Conv', [xs, w, b], { ...attrs, strides: undefined, pads: undefined, dilations: undefined })[0];
  }
  return g.emit('Conv', [x, w, b], { ...attrs })[0];
}
