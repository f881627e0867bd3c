// Inference only (an encoder graph, BatchNorm folded into the convolutions): the ResNet stem, its max-pool and the
// first stages' basic blocks kept in MLAS's depth-major blocked layout (ops/conv-nchwc.ts BlockedVolume) from the
// stem's conv to the end of layer1 (or layer2), so that no activation in between is re-laid out:
// - stem: depth taps as channels on the NCHW-input NCHWc kernel (ops/conv-depth2d.ts), ReLU fused into the conv;
// - max-pool 3^3 stride 2: max is separable, so NCHWc's own 2-D MaxPool over (H, W), then a pool over depth (a 2-D
//   MaxPool of the [N, 1, D, C*H*W] view, whatever the per-image layout);
// - each basic block: two chains of NCHWc depth-tap convs (ops/conv-nchwc.ts nchwcConvBlocked), bias and ReLU fused,
//   the residual added through the second conv's Sum input;
// - layer2 as well where the plan runs its stride-1 convs on NCHWc: its first block's strided conv and 1^3 strided
//   downsample conv are strided depth taps on the same kernels.
// ReLU before the max-pool equals ReLU after it (max commutes with a monotone map), so the fused order is exact.
// Taken where the plan (tuning/) chose depth-2d for the stem, which it does only where that measured faster on this
// machine; without a plan, or on a GPU provider (no NCHWc block), the encoder is the op-by-op ResNet.
// Measured on AMD EPYC Zen 2 (AVX2, 2 threads), ResNet-18 encoder at 8 x 1 x 64^3: the stem's re-layout, ReLU and
// 3-D max-pool took 17 ms, each layer1 conv's Transpose/ReorderInput/ReorderOutput about 4 ms.
import { Value } from '../ir/graph.js';
import { tensor } from '../ir/tensor.js';
import type { Resolved } from '../ops/conv-attrs.js';
import { convOut } from '../ops/conv-attrs.js';
import { depth2dNchwcBlocked } from '../ops/conv-depth2d.js';
import { type BlockedVolume, fromBlocked, nchwcConvBlocked } from '../ops/conv-nchwc.js';
import { NOMINAL_BATCH, convSignature, depth2dNchwcApplies, signatureKey } from '../ops/conv-plan.js';
import { foldBatchNorm } from './fold-bn.js';
import type { ModelContext } from './params.js';
import type { ResNetConfig } from './resnet3d.js';

/** How much slower alone than the plan's choice a layer2 NCHWc conv may have timed and still run blocked: measured
 *  on AMD EPYC Zen 2 (AVX2, 2 threads), ResNet-18 encoder at 8 x 1 x 64^3, the tuner put depth-2d 0.1 ms (of 20)
 *  ahead of nchwc for layer2's stride-1 conv, and the encoder ran 377 ms with layer2 op by op, 370 ms blocked. */
export const BLOCKED_STAGE_TOLERANCE = 1.1;

function closeEnough(times: Readonly<Record<string, number | string>> | undefined, form: string, chosen: string): boolean {
  const t = times?.[form], best = times?.[chosen];
  return typeof t === 'number' && typeof best === 'number' && t <= best * BLOCKED_STAGE_TOLERANCE;
}

const cube = (k: number, s: number, p: number): Resolved => ({ k: [k, k, k], s: [s, s, s], d: [1, 1, 1], pb: [p, p, p], pe: [p, p, p], group: 1 });

/**
 * The stem, max-pool and layer1 (and layer2, where the plan runs its stride-1 convs as nchwc) on blocked kernels,
 * returning the last blocked stage's output [N, C, D, H, W] and how many stages it covers; undefined where this
 * does not apply (training, BatchNorm not folded, no NCHWc block, bottleneck blocks, no max-pool, dynamic spatial
 * dims, or a plan that did not choose depth-2d for the stem): the caller then builds them op by op.
 */
export function blockedStem(ctx: ModelContext, x: Value, cfg: ResNetConfig, prefix: string): { h: Value; stages: number } | undefined {
  const { g } = ctx;
  const block = g.convPlanner?.nchwcBlock;
  if (ctx.training || !ctx.foldBn || cfg.norm.kind !== 'batch' || cfg.block !== 'basic' || cfg.noMaxPool || !block || x.dtype !== 'float32') return undefined;
  if (!x.shape.slice(1).every((d) => typeof d === 'number')) return undefined;
  const k = cfg.conv1Kernel;
  const c0 = cfg.widths[0];
  if (!depth2dNchwcApplies(cfg.inChannels, k, c0, block)) return undefined;
  /** The plan's form for a conv of the op-by-op encoder (input x, a constant folded weight of shape w), asked with
   *  stand-in values: folding a weight makes its initializer, which the op-by-op path would make again. */
  const planned = (xv: Value, w: number[], a: Resolved) => {
    const sig = convSignature('forward', xv, Object.assign(new Value('w', 'float32', w), { constValue: tensor('float32', [0]) }), a, NOMINAL_BATCH);
    if (!sig) return {};
    const key = signatureKey(sig);
    return { form: g.convPlanner!.choose(sig, key), times: g.convPlanner!.times?.(key) };
  };
  const a = cube(k, cfg.conv1Stride, Math.floor(k / 2));
  if (planned(x, [c0, cfg.inChannels, k, k, k], a).form !== 'depth-2d') return undefined;
  const stem = foldBatchNorm(ctx.p, `${prefix}conv1`, `${prefix}bn1`, false, ctx.bnEps);

  const conv1 = g.scope(`${prefix}conv1`, () => depth2dNchwcBlocked(g, x, stem.w, stem.b, a, block, 'Relu'));
  let v: BlockedVolume = g.scope(`${prefix}maxpool`, () => {
    // (H, W) first: the pool over depth then reads a quarter of the data (its MLAS kernel on this wide view ran at
    // 14 ms for 8 x 64 x 32^3)
    const overHw = g.op.nchwcMaxPool(conv1.data, { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] });
    const [cb, h, w] = overHw.shape.slice(1) as number[];
    const overDepth = g.op.maxPool(g.op.reshape(overHw, [-1, 1, conv1.depth, cb * h * w]), { kernel_shape: [3, 1], strides: [2, 1], pads: [1, 0, 1, 0] });
    return { data: g.op.reshape(overDepth, [-1, cb, h, w]), depth: convOut(conv1.depth, 0, cube(3, 2, 1)) as number };
  });
  const a3 = cube(3, 1, 1);
  /** A basic block on blocked kernels: conv1 (stride `stride`) with ReLU, conv2 with the residual (the input, or its
   *  1^3 strided downsample conv) through the Sum input and ReLU. */
  const basicBlock = (input: BlockedVolume, name: string, stride: number): BlockedVolume => {
    const f1 = foldBatchNorm(ctx.p, `${name}.conv1`, `${name}.bn1`, false, ctx.bnEps);
    const f2 = foldBatchNorm(ctx.p, `${name}.conv2`, `${name}.bn2`, false, ctx.bnEps);
    const h1 = g.scope(`${name}.conv1`, () => nchwcConvBlocked(g, input, f1.w, f1.b, cube(3, stride, 1), block, { activation: 'Relu' }));
    let residual = input;
    if (stride !== 1) {
      const fd = foldBatchNorm(ctx.p, `${name}.downsample.0`, `${name}.downsample.1`, cfg.biasDownsample, ctx.bnEps);
      residual = g.scope(`${name}.downsample.0`, () => nchwcConvBlocked(g, input, fd.w, fd.b, cube(1, stride, 0), block));
    }
    return g.scope(`${name}.conv2`, () => nchwcConvBlocked(g, h1, f2.w, f2.b, a3, block, { sum: residual.data, activation: 'Relu' }));
  };
  for (let j = 0; j < cfg.layers[0]; j++) v = basicBlock(v, `${prefix}layer1.${j}`, 1);
  // layer2 too where its channels come in blocks, its shortcut is a conv, and the plan runs its stride-1 3^3 convs
  // on NCHWc, or timed NCHWc alone within BLOCKED_STAGE_TOLERANCE of its choice: a candidate's time alone includes
  // its re-layout in and out, which the blocked stage does not pay (the op-by-op path would re-lay out around each
  // conv)
  const c1 = cfg.widths[1];
  const [h, w] = v.data.shape.slice(2) as number[];
  const down = [v.depth, h, w].map((d, i) => convOut(d, i, cube(3, 2, 1)) as number);
  const stage2 = c1 % block === 0 && cfg.shortcut === 'B' && cfg.layers[1] > 0 ? planned(new Value('x', 'float32', [x.shape[0], c1, ...down]), [c1, c1, 3, 3, 3], a3) : {};
  const withStage2 = stage2.form === 'nchwc' || (stage2.form !== undefined && closeEnough(stage2.times, 'nchwc', stage2.form));
  if (!withStage2) return { h: g.scope(`${prefix}layer1`, () => fromBlocked(g, v, c0)), stages: 1 };
  for (let j = 0; j < cfg.layers[1]; j++) v = basicBlock(v, `${prefix}layer2.${j}`, j === 0 ? 2 : 1);
  return { h: g.scope(`${prefix}layer2`, () => fromBlocked(g, v, c1)), stages: 2 };
}
