// A 3-D convolution as ONE 2-D convolution over (H, W) whose input channels are the depth taps: for output depth z
// the kd input slices x[n, :, z*sd + t - pd] (t < kd) are stacked as kd*C channels, and the weight [O, C, kd, kh, kw]
// becomes [O, kd*C, kh, kw]. Two ways to run the 2-D conv on MLAS's NCHWc kernels:
// - a constant weight (an inference graph's initializer): ORT's own NCHWc transformer rewrites the plain 2-D Conv,
//   reordering the weight once at load;
// - a fed weight (a training graph) with fewer stacked channels than the NCHWc block (the ResNet stem's 1 x 7 taps):
//   the NCHWc Conv is emitted here on MLAS's NCHW-input kernel, the weight reordered in the graph to OIHWBo
//   ([O/B, kd*C, kh, kw, Bo]), the output re-laid out by ReorderOutput. With a fed weight the plain 2-D Conv is
//   ORT's im2col one and gains nothing (103 against 100 ms for the stem at 8 x 1 x 64^3).
// Measured on the ResNet stem (7^3 stride 2, 1 -> 64 channels; AMD EPYC Zen 2, AVX2, 2 threads): 80 ms against 92 ms
// for ORT's 3-D Conv at 8 x 64^3 (constant weight); the NCHWc Conv kernel alone 143 against ORT's 3-D Conv 206 ms at
// 16 x 64^3 (fed weight).
// Data path: x [N, C, D, H, W] -> Transpose [N, D, C, H, W] (a free Reshape when C = 1) -> zero-pad along D (whole
// planes: a flat Pad) -> one Gather of the taps along D [N, Do, kd, C*H*W] (7 strided Slices and a Concat took three
// times as long) -> Reshape [N*Do, kd*C, H, W] -> 2-D conv (strides and pads of H and W, bias) -> [N, Do, O, Ho, Wo]
// -> Transpose [N, O, Do, Ho, Wo].
import type { GraphBuilder } from './builder.js';
import { GraphError } from '../ir/errors.js';
import type { Value } from '../ir/graph.js';
import { type TensorData, tensor } from '../ir/tensor.js';
import { type Resolved, convOut } from './conv-attrs.js';
import { type BlockedVolume, fromBlocked, padDepth } from './conv-nchwc.js';
import { depth2dNchwcApplies } from './conv-plan.js';
import { rawConv } from './conv-raw.js';

/** w [O, C, kd, kh, kw] as [O, kd*C, kh, kw]: on the host for a constant weight (it stays an initializer), else in the graph. */
function tapsAsChannels(g: GraphBuilder, w: Value): Value {
  const [o, c, kd, kh, kw] = w.shape as number[];
  const src = w.constValue;
  if (!src) return g.op.reshape(g.op.transpose(w, [0, 2, 1, 3, 4]), [o, kd * c, kh, kw]);
  const out: TensorData = tensor(src.dtype, [o, kd * c, kh, kw]);
  const plane = kh * kw;
  for (let i = 0; i < o; i++)
    for (let j = 0; j < c; j++)
      for (let t = 0; t < kd; t++) {
        const from = ((i * c + j) * kd + t) * plane;
        const to = ((i * kd + t) * c + j) * plane;
        for (let p = 0; p < plane; p++) out.data[to + p] = src.data[from + p];
      }
  return g.constant(out);
}

/** w [O, kd*C, kh, kw] in MLAS's OIHWBo filter layout ([O/B, kd*C, kh, kw, Bo] data). */
function oihwbo(g: GraphBuilder, w2: Value, block: number): Value {
  const [o, ci, kh, kw] = w2.shape as number[];
  return g.op.reshape(g.op.transpose(g.op.reshape(w2, [o / block, block, ci, kh, kw]), [0, 2, 3, 4, 1]), [o, ci, kh, kw]);
}

function checkShapes(x: Value, w: Value, a: Resolved): void {
  if (x.rank !== 5 || ![...x.shape.slice(1), ...w.shape].every((d) => typeof d === 'number'))
    throw new GraphError(`depth-2d conv needs static 5-D shapes (but the batch), got ${x} and ${w}`, 'Conv', 'depth-2d');
  if (a.group !== 1 || a.d.some((v) => v !== 1)) throw new GraphError(`depth-2d conv needs group 1 and no dilation: x ${x}, w ${w}`, 'Conv', 'depth-2d');
}

/** The depth taps of x as the channels of 2-D images, [N*Do, kd*C, H, W]: one Gather along D of x padded in D. */
function tapColumns(g: GraphBuilder, x: Value, kd: number, a: Resolved): Value {
  const [c, d, h, wd] = x.shape.slice(1) as number[];
  const dOut = convOut(d, 0, a) as number;
  const chw = c * h * wd;
  // -1: the batch may be symbolic (an encoder embedding any number of tiles)
  const xp = padDepth(g, c === 1 ? x : g.op.transpose(x, [0, 2, 1, 3, 4]), d, chw, a.pb[0], a.pe[0]);
  const index: number[] = [];
  for (let z = 0; z < dOut; z++) for (let t = 0; t < kd; t++) index.push(z * a.s[0] + t);
  const taps = g.op.gather(xp, g.constant(tensor('int64', [dOut, kd], index)), 1); // [N, Do, kd, CHW]
  return g.op.reshape(taps, [-1, kd * c, h, wd]);
}

/**
 * act(conv3d(x, w) + b) on MLAS's NCHW-input NCHWc kernel, the output left in the depth-major blocked layout
 * (ops/conv-nchwc.ts BlockedVolume); needs depth2dNchwcApplies. A constant weight is re-laid out on the host and
 * its OIHWBo order by ops ORT folds at load.
 */
export function depth2dNchwcBlocked(g: GraphBuilder, x: Value, w: Value, b: Value | undefined, a: Resolved, block: number, activation?: 'Relu'): BlockedVolume {
  checkShapes(x, w, a);
  const [o, c, kd] = w.shape as number[];
  if (!depth2dNchwcApplies(c, kd, o, block))
    throw new GraphError(`depth-2d on NCHWc needs C*kd < ${block} and O in blocks: x ${x}, w ${w}`, 'Conv', 'depth-2d');
  const y = g.op.nchwcConv(tapColumns(g, x, kd, a), oihwbo(g, tapsAsChannels(g, w), block), b, undefined, {
    kernel_shape: (w.shape as number[]).slice(3),
    strides: [a.s[1], a.s[2]],
    pads: [a.pb[1], a.pb[2], a.pe[1], a.pe[2]],
    ...(activation ? { activation } : {}),
  });
  return { data: y, depth: convOut(x.shape[2], 0, a) as number };
}

/**
 * y = conv3d(x, w) + b (ONNX Conv semantics, group 1, no dilation) as one 2-D conv over depth-tap channels. A fed
 * weight runs on MLAS's NCHWc Conv where `block` (this machine's NCHWc block) allows it (depth2dNchwcApplies), else
 * on ORT's plain 2-D Conv.
 */
export function depth2dConv3d(g: GraphBuilder, x: Value, w: Value, b: Value | undefined, a: Resolved, block?: number): Value {
  checkShapes(x, w, a);
  const o = w.shape[0] as number;
  const [c, kd] = [w.shape[1], w.shape[2]] as number[];
  if (!w.constValue && depth2dNchwcApplies(c, kd, o, block)) return fromBlocked(g, depth2dNchwcBlocked(g, x, w, b, a, block!), o);
  const [dOut, hOut, wOut] = x.shape.slice(2).map((v, i) => convOut(v, i, a) as number);
  const y = rawConv(g, tapColumns(g, x, w.shape[2] as number, a), tapsAsChannels(g, w), b, { strides: [a.s[1], a.s[2]], pads: [a.pb[1], a.pb[2], a.pe[1], a.pe[2]] });
  return g.op.transpose(g.op.reshape(y, [-1, dOut, o, hOut, wOut]), [0, 2, 1, 3, 4]);
}
