// A 3-D convolution as ONE 2-D convolution over (H, W) whose input channels are the depth taps: for output depth z
// the kd input slices x[n, :, z*sd + t - pd] (t < kd) are stacked as kd*C channels, and the weight [O, C, kd, kh, kw]
// becomes [O, kd*C, kh, kw]. Meant for inference graphs, whose weights are initializers: ORT's own NCHWc transformer
// then runs the 2-D conv on MLAS's blocked kernels, reordering the weight once at load (with fewer than 8 channels,
// the ResNet stem's 1 x 7 taps, through MLAS's NCHW-input kernel). Measured on the ResNet stem (7^3 stride 2, 1 -> 64
// channels, 8 x 1 x 64^3; AMD EPYC Zen 2, AVX2, 2 threads): 80 ms against 92 ms for ORT's 3-D Conv; with a fed
// weight (a training graph) the 2-D conv is ORT's plain im2col one and gains nothing (103 against 100 ms), so the
// planner offers this form only for constant weights (ops/conv-plan.ts candidateForms).
// Data path: x [N, C, D, H, W] -> Transpose [N, D, C, H, W] (a free Reshape when C = 1) -> zero-pad along D -> per
// tap a strided Slice along D [N, Do, C*H*W] -> Concat on a new axis [N, Do, kd, C*H*W] -> Reshape [N*Do, kd*C, H, W]
// -> Conv 2-D (strides and pads of H and W, bias) -> Reshape [N, Do, O, Ho, Wo] -> Transpose [N, O, Do, Ho, Wo].
import type { GraphBuilder } from './builder.js';
import { GraphError } from '../ir/errors.js';
import type { Value } from '../ir/graph.js';
import { type TensorData, tensor } from '../ir/tensor.js';
import { type Resolved, convOut } from './conv-attrs.js';
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

/** y = conv3d(x, w) + b (ONNX Conv semantics, group 1, no dilation) as one 2-D conv over depth-tap channels. */
export function depth2dConv3d(g: GraphBuilder, x: Value, w: Value, b: Value | undefined, a: Resolved): Value {
  if (x.rank !== 5 || ![...x.shape.slice(1), ...w.shape].every((d) => typeof d === 'number'))
    throw new GraphError(`depth-2d conv needs static 5-D shapes (but the batch), got ${x} and ${w}`, 'Conv', 'depth-2d');
  if (a.group !== 1 || a.d.some((v) => v !== 1)) throw new GraphError(`depth-2d conv needs group 1 and no dilation: x ${x}, w ${w}`, 'Conv', 'depth-2d');
  const [c, d, h, wd] = x.shape.slice(1) as number[];
  const [o, , kd] = w.shape as number[];
  const [dOut, hOut, wOut] = [d, h, wd].map((v, i) => convOut(v, i, a) as number);
  const chw = c * h * wd;
  // -1: the batch may be symbolic (an encoder embedding any number of tiles)
  let xd = g.op.reshape(c === 1 ? x : g.op.transpose(x, [0, 2, 1, 3, 4]), [-1, d, chw]);
  if (a.pb[0] || a.pe[0]) xd = g.op.pad(xd, [0, a.pb[0], 0, 0, a.pe[0], 0]);
  const taps: Value[] = [];
  for (let t = 0; t < kd; t++) {
    const end = t + (dOut - 1) * a.s[0] + 1;
    taps.push(g.op.unsqueeze(g.op.slice(xd, [t], [end], [1], a.s[0] !== 1 ? [a.s[0]] : undefined), [2]));
  }
  const cols = g.op.reshape(kd === 1 ? taps[0] : g.op.concat(taps, 2), [-1, kd * c, h, wd]);
  const y = rawConv(g, cols, tapsAsChannels(g, w), b, { strides: [a.s[1], a.s[2]], pads: [a.pb[1], a.pb[2], a.pe[1], a.pe[2]] });
  return g.op.transpose(g.op.reshape(y, [-1, dOut, o, hOut, wOut]), [0, 2, 1, 3, 4]);
}
