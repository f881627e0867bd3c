// A 3-D convolution on MLAS's blocked NCHWc kernels (ops/nchwc.ts), which are 2-D only: the 3-D conv is the sum
// over its depth taps t of 2-D convs of depth-shifted input slices, y[n, :, z] = sum_t conv2d(x[n, :, z*sd + t - pd],
// w[:, :, t]), accumulated through the NCHWc Conv's Sum input (the decomposition measured on a Sapphire Rapids
// Xeon in issue #13: layer1 at batch 16 in 43.6 ms of conv kernels against 81.4 ms for ORT's 3-D Conv).
// Data path: x [N, C, D, H, W] -> Transpose [N, D, C, H, W] -> Reshape [N*D, C, H, W] -> ReorderInput (blocked)
// -> per tap the depth-shifted input (stride 1: a Pad with a cropping side; strided: a strided Slice of the
// depth-padded input) -> NCHWc Conv (Sum = previous tap) -> ReorderOutput ->
// Reshape [N, Do, O, Ho, Wo] -> Transpose [N, O, Do, Ho, Wo]. The weight is reordered in the graph (it is a fed
// parameter, not an initializer ORT could reorder at load): [O, C, kd, kh, kw] -> [O/B, B, C/B, B, kd, kh, kw] ->
// [kd, O/B, C/B, kh, kw, Bi, Bo] (MLAS's OIHWBiBo filter layout per tap).
// As a forward formulation it is a custom-gradient region whose backward is Conv's own (planned) rules; as an input
// gradient (a stride-1 conv of dy with flipped weights) it is called directly. CPU only, float32 only.
import type { GraphBuilder } from './builder.js';
import { GraphError } from '../ir/errors.js';
import type { Value } from '../ir/graph.js';
import { type Resolved, convOut } from './conv-attrs.js';

/** A volume in MLAS's depth-major blocked layout: `data` [N*D, C', H, W] NCHWc (N may be symbolic), its depth. */
export interface BlockedVolume {
  data: Value;
  depth: number;
}

/** x [N, C, D, H, W] -> depth-major blocked [N*D, C', H, W]. */
export function toBlocked(g: GraphBuilder, x: Value, block: number): BlockedVolume {
  const [c, d, h, wd] = x.shape.slice(1) as number[];
  // -1: the batch may be symbolic (an encoder embedding any number of series)
  return { data: g.op.reorderInput(g.op.reshape(g.op.transpose(x, [0, 2, 1, 3, 4]), [-1, c, h, wd]), block), depth: d };
}

/** Depth-major blocked -> [N, C, D, H, W] with `channels` channels. */
export function fromBlocked(g: GraphBuilder, v: BlockedVolume, channels: number): Value {
  const [h, wd] = v.data.shape.slice(2) as number[];
  return g.op.transpose(g.op.reshape(g.op.reorderOutput(v.data, channels), [-1, v.depth, channels, h, wd]), [0, 2, 1, 3, 4]);
}

/**
 * v viewed as [M, depth, plane], padded with zero planes (positive counts) or cut (negative) along depth: one Pad of
 * the flat [M, depth * plane] view, whose runs are whole planes (long copies); v itself where both counts are 0.
 * Returns [M, depth + before + after, plane]. The depth taps of the NCHWc forms shift their input this way.
 */
export function padDepth(g: GraphBuilder, v: Value, depth: number, plane: number, before: number, after: number): Value {
  if (before === 0 && after === 0) return g.op.reshape(v, [-1, depth, plane]);
  return g.op.reshape(g.op.pad(g.op.reshape(v, [-1, depth * plane]), [0, before * plane, 0, after * plane]), [-1, depth + before + after, plane]);
}

export interface BlockedConvOptions {
  /** Added to the output (a residual in the same blocked layout and shape). */
  sum?: Value;
  /** Fused activation, applied to conv + bias + sum. */
  activation?: 'Relu';
}

/** y = act(conv3d(x, w) + b + sum) on NCHWc kernels, blocked in and out (group 1, no dilation, channels in blocks). */
export function nchwcConvBlocked(g: GraphBuilder, x: BlockedVolume, w: Value, b: Value | undefined, a: Resolved, block: number, opts: BlockedConvOptions = {}): BlockedVolume {
  const [c, h, wd] = x.data.shape.slice(1) as number[];
  const d = x.depth;
  if (![c, h, wd, ...w.shape].every((v) => typeof v === 'number'))
    throw new GraphError(`NCHWc conv needs static shapes (but the batch), got ${x.data} and ${w}`, 'Conv', 'nchwc');
  const [o, , kd, kh, kw] = w.shape as number[];
  if (a.group !== 1 || a.d.some((v) => v !== 1) || c % block || o % block)
    throw new GraphError(`NCHWc conv needs group 1, no dilation and channels in blocks of ${block}: x ${x.data}, w ${w}`, 'Conv', 'nchwc');
  const dOut = convOut(d, 0, a) as number;
  const chw = c * h * wd;
  const strided = a.s[0] !== 1;
  const xb = strided ? padDepth(g, x.data, d, chw, a.pb[0], a.pe[0]) : undefined;
  // weight: per depth tap, OIHWBiBo
  const wb = g.op.reshape(
    g.op.transpose(g.op.reshape(w, [o / block, block, c / block, block, kd, kh, kw]), [4, 0, 2, 5, 6, 3, 1]),
    [kd, o, c, kh, kw],
  );
  let y = opts.sum;
  for (let t = 0; t < kd; t++) {
    // at stride 1, tap t reads x's depths [t - pad, t - pad + Do): x itself for the own tap, else one Pad whose
    // negative side crops (one copy, where padding the whole of x and slicing each tap out of it made two: 8.9
    // against 15.4 ms for two taps of 16 x 64 x 16^3); strided taps are strided Slices of the padded x
    const xs = xb ? g.op.slice(xb, [t], [t + (dOut - 1) * a.s[0] + 1], [1], [a.s[0]]) : padDepth(g, x.data, d, chw, a.pb[0] - t, t - a.pb[0] + dOut - d);
    const wt = kd === 1 ? g.op.reshape(wb, [o, c, kh, kw]) : g.op.reshape(g.op.slice(wb, [t], [t + 1], [0]), [o, c, kh, kw]);
    y = g.op.nchwcConv(g.op.reshape(xs, [-1, c, h, wd]), wt, t === 0 ? b : undefined, y, {
      kernel_shape: [kh, kw],
      strides: [a.s[1], a.s[2]],
      pads: [a.pb[1], a.pb[2], a.pe[1], a.pe[2]],
      ...(t === kd - 1 && opts.activation ? { activation: opts.activation } : {}),
    });
  }
  return { data: y!, depth: dOut };
}

/** y = conv3d(x, w) + b (cross-correlation, ONNX Conv semantics, group 1, no dilation) on NCHWc kernels. */
export function nchwcConv3d(g: GraphBuilder, x: Value, w: Value, b: Value | undefined, a: Resolved, block: number): Value {
  if (x.rank !== 5 || ![...x.shape.slice(1), ...w.shape].every((d) => typeof d === 'number'))
    throw new GraphError(`NCHWc conv needs static 5-D shapes (but the batch), got ${x} and ${w}`, 'Conv', 'nchwc');
  return fromBlocked(g, nchwcConvBlocked(g, toBlocked(g, x, block), w, b, a, block), w.shape[0] as number);
}
