// Forward Conv on small volumes as ONE Gemm over the whole batch. ORT's CPU Conv runs an im2col + GEMM per
// image; when the output volume Z is tiny (ResNet layer3/4: 4^3, 2^3) each GEMM is [O x C*K] x [C*K x Z] with a
// skinny Z and runs several times slower than PyTorch (bench/conv-grad.ts, 'layer4': 61 ms vs 8 ms). Here the
// im2col of the whole batch comes from x as N*C single-channel volumes (ops/im2col.ts), the batch is folded into
// the columns, and y = W [O, C*K] @ cols [C*K, N*Z] (+ bias) is one well-shaped Gemm. It is a
// custom-gradient region: dW = dy [O, N*Z] @ cols^T with the columns made again in the backward pass (cheaper in
// memory than keeping them), dx uses Conv's own rule.
import type { GraphBuilder } from './builder.js';
import type { Value } from '../ir/graph.js';
import { type ConvAttrs, type Resolved, convOut, resolve } from './conv-attrs.js';
import { batchedGemmApplies, convSignature } from './conv-plan.js';
import { convBiasGrad, convInputGrad } from './conv-grad.js';
import { after } from './where.js';
import { im2col } from './im2col.js';

/** Where the lowering pays (thresholds and their reasons in ops/conv-plan.ts batchedGemmApplies). */
export function wantsBatchedGemm(x: Value, w: Value, attrs: ConvAttrs): boolean {
  if (x.dtype !== 'float32') return false;
  const a = resolve((n, d) => ((attrs as Record<string, unknown>)[n] as typeof d | undefined) ?? d, w.shape.slice(2), 'Conv', '');
  const sig = convSignature('forward', x, w, a);
  return !!sig && batchedGemmApplies(sig, a, a.group);
}

/** y = conv(x, w) + b as one Gemm over the batch's folded im2col (static shapes), without a gradient rule: the
 *  forward of convBatchedGemm, and the inner conv of the flipped-weight input gradient (ops/conv-grad.ts). With
 *  `perSample`, one batched MatMul of W with each sample's columns instead ('im2col-matmul': no transposes of the
 *  columns or of y; at 16 x 256 x 4^3, 3^3 kernels, on AMD EPYC Zen 2: 20.1 against 27.3 ms, but slower where the
 *  volume is skinny: 18.4 against 12.9 ms at 2^3). */
export function batchedGemmConv(g: GraphBuilder, x: Value, w: Value, b: Value | undefined, a: Resolved, perSample = false): Value {
  const [n, c, ...xs] = x.shape as number[];
  const o = w.shape[0] as number;
  const kvol = a.k.reduce((p, q) => p * q, 1);
  const ys = xs.map((d, i) => convOut(d, i, a) as number);
  const zy = ys.reduce((p, q) => p * q, 1);
  if (perSample) {
    const cols = g.op.reshape(im2col(g, g.op.reshape(x, [n * c, 1, ...xs]), a), [n, c * kvol, zy]);
    const y = g.op.matMul(g.op.reshape(w, [o, c * kvol]), cols); // [N, O, Z]
    return g.op.reshape(b ? g.op.add(y, g.op.reshape(b, [o, 1])) : y, [n, o, ...ys]);
  }
  const ym = g.op.gemm(g.op.reshape(w, [o, c * kvol]), foldedIm2col(g, x, a), b ? g.op.reshape(b, [o, 1]) : undefined); // [O, N*Z]
  return g.op.reshape(g.op.transpose(g.op.reshape(ym, [o, n, zy]), [1, 0, 2]), [n, o, ...ys]);
}

/** The folded im2col [C*K, N*Z] of the whole batch: the im2col of x as N*C single-channel volumes and a transpose. */
function foldedIm2col(g: GraphBuilder, v: Value, a: Resolved): Value {
  const [n, c, ...xs] = v.shape as number[];
  const kvol = a.k.reduce((p, q) => p * q, 1);
  const zy = xs.map((d, i) => convOut(d, i, a) as number).reduce((p, q) => p * q, 1);
  const cols = im2col(g, g.op.reshape(v, [n * c, 1, ...xs]), a); // [N*C, K, Z]
  return g.op.reshape(g.op.transpose(g.op.reshape(cols, [n, c * kvol, zy]), [1, 0, 2]), [c * kvol, n * zy]);
}

/** The batched-Gemm conv (or, with `perSample`, its per-sample MatMul forward) with its custom gradient. */
export function convBatchedGemm(g: GraphBuilder, x: Value, w: Value, b: Value | undefined, attrs: ConvAttrs, perSample = false): Value {
  const a = resolve((n, d) => ((attrs as Record<string, unknown>)[n] as typeof d | undefined) ?? d, w.shape.slice(2), 'Conv', '');
  const [n, , ...xs] = x.shape as number[];
  const o = w.shape[0] as number;
  const zy = xs.map((d, i) => convOut(d, i, a) as number).reduce((p, q) => p * q, 1);
  const [y] = g.withCustomGradient(
    b ? [x, w, b] : [x, w],
    () => [batchedGemmConv(g, x, w, b, a, perSample)],
    // backward: dW is one Gemm with the im2col, made again here (after dy exists, so that it is not kept from the
    // forward pass to the backward: C*K/O times the output's size per layer, ~120 MB in ResNet-18 at 64^3; x is kept
    // anyway); dx uses Conv's own input-gradient rule (op-by-op autodiff of the lowering would go through a slow
    // col2im Conv)
    ({ g, dOut, wants, options }) => {
      const dy = dOut[0]!;
      const forced = { ...g.convOptions, ...options.conv };
      const dyF = wants[1] ? g.op.reshape(g.op.transpose(g.op.reshape(dy, [n, o, zy]), [1, 0, 2]), [o, n * zy]) : undefined;
      return [
        wants[0] ? convInputGrad(g, dy, w, x, a, forced.input ?? 'auto', 'batched-gemm conv') : undefined,
        dyF ? g.op.reshape(g.op.gemm(dyF, foldedIm2col(g, after(g, x, dy), a), undefined, { transB: 1 }), w.shape as number[]) : undefined,
        b && wants[2] ? convBiasGrad(g, dy) : undefined,
      ];
    },
  );
  return y;
}
