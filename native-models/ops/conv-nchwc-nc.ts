// A 3-D convolution's weight gradient on MLAS's blocked NCHWc kernels (ops/nchwc.ts), per depth tap: the
// 'conv-nc' identity (dW = x's channels as the batch, dy as the kernel, stride and dilation swapped) written as 2-D
// convs whose input channels are the (sample, output depth) pairs,
//   dW[o, c, t, :, :] = conv2d(X_t[c], dy as [O, N*Do, Ho, Wo], dilation = the conv's strides (h, w)),
//   X_t[c][n*Do + z] = xpad[n, c, z*s_d + t] (H and W cut to the extent the kernel reaches).
// ORT's own Conv runs conv-nc as one im2col the size of x times the kernel volume (the ResNet stem's 7^3 weight
// gradient: 353 ms at 16 x 64^3 on a 2-core AMD EPYC Zen 2); MLAS's NCHWc direct kernel runs each tap at ~130 GFLOP/s
// there (25 ms a tap). dy is re-laid out once (OIHWBiBo, shared by every tap: a transpose and two ReorderInputs);
// each tap's input is one copy of x (a cropping Pad, or a strided Slice when the depth stride is not 1) and a
// ReorderInput. CPU only, float32 only; the autotuner offers it where the channels come in blocks.
import type { GraphBuilder } from './builder.js';
import { GraphError } from '../ir/errors.js';
import type { Value } from '../ir/graph.js';
import type { Resolved } from './conv-attrs.js';
import { padDepth } from './conv-nchwc.js';

/** dW [O, C, kd, kh, kw] of y = conv3d(x, w) (group 1, no dilation) from x [N, C, D, H, W] and dy [N, O, Do, Ho, Wo]. */
export function nchwcNcWeightGrad(g: GraphBuilder, x: Value, dy: Value, a: Resolved, block: number): Value {
  if (x.rank !== 5 || ![...x.shape, ...dy.shape].every((d) => typeof d === 'number'))
    throw new GraphError(`NCHWc weight gradient needs static 5-D shapes, got ${x} and ${dy}`, 'Conv', 'nchwc-nc');
  const [n, c] = x.shape as number[];
  const [, o, dOut, hOut, wOut] = dy.shape as number[];
  const [kd, kh, kw] = a.k;
  const nd = n * dOut;
  if (a.d.some((v) => v !== 1) || nd % block || o % block)
    throw new GraphError(`NCHWc weight gradient needs no dilation and N*Do, O in blocks of ${block}: x ${x}, dy ${dy}`, 'Conv', 'nchwc-nc');
  const hUsed = (hOut - 1) * a.s[1] + kh;
  const wUsed = (wOut - 1) * a.s[2] + kw;
  const [d, h, w] = x.shape.slice(2) as number[];
  // Channels interleaved into W: with f = the block where C comes in blocks (else 1), x is laid out
  // [C/f, N, D, H, W*f] with element (x, c mod f) at W index x*f + c mod f, and each tap's 2-D conv runs with its
  // W dilation times f. Its output row is then kw*f pixels long ((t2, c mod f) pairs) for C/f images, not kw
  // pixels for C images: MLAS's kernel streams its (here huge: dy is the kernel) filter once per row of output
  // pixels, so the layer1 weight gradient (dy 64 x 256 x 16 x 16 per tap, 3 x 3 outputs) was bound by reading it
  // from L3: 42 ms a tap against 28 interleaved (16 x 64 x 16^3, AMD EPYC Zen 2, 2 threads). Layout: one
  // ReorderInput (c mod f innermost), a transpose of long runs (C/f before N).
  const f = c % block === 0 ? block : 1;
  const cg = c / f;
  const xi = f > 1 ? g.op.reshape(g.op.reorderInput(g.op.reshape(x, [n, c, d, h * w]), block), [n, cg, d, h, w * f]) : x;
  const xc = cg === 1 ? g.op.reshape(xi, [1, n, d, h, w * f]) : g.op.transpose(xi, [1, 0, 2, 3, 4]);
  // [C/f, N, D, H, W*f], padded (or cut) in H and W once to what the kernel reaches. A tap's input is that shifted
  // in depth: at depth stride 1 one Pad whose negative side crops, moving whole planes (each (c, n) block's run of
  // D*H*W*f floats: long copies; the own-depth tap needs none); at a depth stride, a strided Slice of x padded once.
  // Padding all three axes per tap ran ORT's slow inner-axis Pad three times (layer1: 63 ms a step against 54 for
  // one Pad and three Slices, 50 then); leaving H and W to the 2-D conv's own pads was slower still (MLAS's NCHWc
  // kernel on the padded borders of a 16 x 16 kernel: each layer1 weight gradient about 99 -> 175 ms).
  const depthStrided = a.s[0] !== 1;
  const wf = wUsed * f;
  const hwPads = [0, 0, 0, a.pb[1], a.pb[2] * f, 0, 0, 0, hUsed - h - a.pb[1], (wUsed - w - a.pb[2]) * f];
  const xp = depthStrided
    ? g.op.pad(xc, [0, 0, a.pb[0], a.pb[1], a.pb[2] * f, 0, 0, a.pe[0], a.pe[1], a.pe[2] * f])
    : hwPads.every((v) => v === 0)
      ? xc
      : g.op.pad(xc, hwPads);
  const tapInput = (t: number): Value =>
    depthStrided
      ? g.op.slice(xp, [t, 0, 0], [t + (dOut - 1) * a.s[0] + 1, hUsed, wf], [2, 3, 4], [a.s[0], 1, 1])
      : padDepth(g, xp, d, hUsed * wf, a.pb[0] - t, t - a.pb[0] + dOut - d);
  // dy as the kernel, OIHWBiBo over (O, N*Do): channel i = n*Do + z, data [O/B, N*Do/B, Ho, Wo, Bi, Bo]. Three
  // moves of long runs: a transpose to [O, N*Do, HoWo] (runs of Do*Ho*Wo floats), a ReorderInput blocking the
  // (n, z) pairs ([O, N*Do/B, HoWo, Bi]), and a ReorderInput blocking O over all the rest. A transpose moving runs of
  // B floats after one ReorderInput took 41 ms of the stem's 51 (16 x 64^3, Zen 2); one transpose gathering Bo across
  // the volume, 153 ms.
  const hw = hOut * wOut;
  const pairsBlocked = g.op.reorderInput(g.op.reshape(g.op.transpose(g.op.reshape(dy, [n, o, dOut * hw]), [1, 0, 2]), [o, nd, hw, 1]), block);
  const kernel = g.op.reorderInput(g.op.reshape(pairsBlocked, [1, o, nd * hw, 1]), block);
  const wk = g.op.reshape(kernel, [o, nd, hOut, wOut]);
  const taps: Value[] = [];
  for (let t = 0; t < kd; t++) {
    const xb = g.op.reorderInput(g.op.reshape(tapInput(t), [cg, nd, hUsed, wf]), block);
    const yt = g.op.nchwcConv(xb, wk, undefined, undefined, { kernel_shape: [hOut, wOut], dilations: [a.s[1], a.s[2] * f] });
    taps.push(g.op.reshape(g.op.reorderOutput(yt, o), [cg, o, 1, kh, kw, f]));
  }
  const dw = taps.length === 1 ? taps[0] : g.op.concat(taps, 2); // [C/f, O, kd, kh, kw, f]
  return g.op.reshape(g.op.transpose(dw, [1, 0, 5, 2, 3, 4]), [o, c, kd, kh, kw]);
}
