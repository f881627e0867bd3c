// 3D ResNet-10/18/34/50 in the layout of MONAI's `monai.networks.nets.ResNet` (monai/networks/nets/resnet.py,
// after K. Hara et al. 2018 and K. He et al. 2016), with identical state-dict keys so that export is a rename-free
// write: conv1, bn1, layer1..4 of blocks `conv1,bn1,conv2,bn2[,conv3,bn3],downsample.0,downsample.1`; no fc
// (MONAI's feed_forward=False: the global-average-pooled features are the representation).
// - conv1: kernel conv1Kernel^3, stride conv1Stride, padding k//2, no bias; MONAI's default stride is 1,
//   MedicalNet's (and MONAI's ResNetFeatures') is 2. Voxelbase's default is 2 (recorded in the model card): at
//   64^3 crops stride 1 makes the stem output alone 1 GB for 16 samples.
// - maxpool 3^3, stride 2, padding 1 unless noMaxPool; stages 2-4 downsample with stride 2 (no dilation).
// - shortcut B: 1^3 conv (bias when biasDownsample, MONAI's default True) + norm; shortcut A: stride-s subsampling
//   (MONAI's avg-pool with kernel 1) and zero channels appended.
// - norm 'group' uses GroupNorm + weight standardisation on every conv (same keys).
import type { Value } from '../ir/graph.js';
import { type NormOptions, norm, standardiseWeight } from './norms.js';
import type { ModelContext } from './params.js';
import { SLICE_END } from '../ops/slice.js';
import { blockedStem } from './blocked-stem.js';
import { foldBatchNorm } from './fold-bn.js';

export interface ResNetConfig {
  block: 'basic' | 'bottleneck';
  layers: [number, number, number, number];
  widths: [number, number, number, number];
  inChannels: number;
  conv1Kernel: number;
  conv1Stride: number;
  noMaxPool: boolean;
  shortcut: 'A' | 'B';
  biasDownsample: boolean;
  norm: NormOptions;
}

export type ResNetDepth = 10 | 18 | 34 | 50;

/** Presets as MONAI's resnet10/18/34/50 (block, layers), with Voxelbase's defaults for the rest. */
export function resnetPreset(depth: ResNetDepth, over: Partial<ResNetConfig> = {}): ResNetConfig {
  const table: Record<ResNetDepth, [ResNetConfig['block'], ResNetConfig['layers']]> = {
    10: ['basic', [1, 1, 1, 1]],
    18: ['basic', [2, 2, 2, 2]],
    34: ['basic', [3, 4, 6, 3]],
    50: ['bottleneck', [3, 4, 6, 3]],
  };
  const [block, layers] = table[depth];
  return {
    block, layers, widths: [64, 128, 256, 512], inChannels: 1, conv1Kernel: 7, conv1Stride: 2, noMaxPool: false,
    shortcut: 'B', biasDownsample: true, norm: { kind: 'batch' }, ...over,
  };
}

export const expansion = (cfg: ResNetConfig): number => (cfg.block === 'bottleneck' ? 4 : 1);
export const featureDim = (cfg: ResNetConfig): number => cfg.widths[3] * expansion(cfg);

function conv(ctx: ModelContext, x: Value, name: string, cout: number, k: number, stride: number, pad: number, bias: boolean, cfg: ResNetConfig): Value {
  const cin = x.shape[1] as number;
  let w = ctx.p.get(`${name}.weight`, [cout, cin, k, k, k], 'conv-weight');
  if (cfg.norm.kind === 'group') w = ctx.g.scope(name, () => standardiseWeight(ctx, w, cfg.norm.wsEps));
  const b = bias ? ctx.p.get(`${name}.bias`, [cout], 'conv-bias', cin * k * k * k) : undefined;
  return ctx.g.scope(name, () => ctx.g.op.conv(x, w, b, { kernel_shape: [k, k, k], strides: [stride, stride, stride], pads: [pad, pad, pad, pad, pad, pad] }));
}

function bn(ctx: ModelContext, x: Value, name: string, cfg: ResNetConfig): Value {
  return ctx.g.scope(name, () => norm(ctx, x, name, cfg.norm));
}

/** conv then norm; with ctx.foldBn (inference, batch norm) one Conv with BN folded in (models/fold-bn.ts). */
function convBn(ctx: ModelContext, x: Value, cname: string, bname: string, cout: number, k: number, stride: number, pad: number, bias: boolean, cfg: ResNetConfig): Value {
  if (ctx.foldBn && cfg.norm.kind === 'batch') {
    const { w, b } = foldBatchNorm(ctx.p, cname, bname, bias, ctx.bnEps);
    return ctx.g.scope(cname, () => ctx.g.op.conv(x, w, b, { kernel_shape: [k, k, k], strides: [stride, stride, stride], pads: [pad, pad, pad, pad, pad, pad] }));
  }
  return bn(ctx, conv(ctx, x, cname, cout, k, stride, pad, bias, cfg), bname, cfg);
}

function shortcutA(ctx: ModelContext, x: Value, planes: number, stride: number): Value {
  const { g } = ctx;
  let out = x;
  if (stride !== 1) out = g.op.slice(x, [0, 0, 0], [SLICE_END, SLICE_END, SLICE_END], [2, 3, 4], [stride, stride, stride]);
  const c = x.shape[1] as number;
  return planes > c ? g.op.pad(out, [0, 0, 0, 0, 0, 0, planes - c, 0, 0, 0]) : out;
}

function block(ctx: ModelContext, x: Value, name: string, planes: number, stride: number, cfg: ResNetConfig): Value {
  const { g } = ctx;
  const cin = x.shape[1] as number;
  const cout = planes * expansion(cfg);
  let out: Value;
  if (cfg.block === 'basic') {
    out = g.op.relu(convBn(ctx, x, `${name}.conv1`, `${name}.bn1`, planes, 3, stride, 1, false, cfg));
    out = convBn(ctx, out, `${name}.conv2`, `${name}.bn2`, planes, 3, 1, 1, false, cfg);
  } else {
    out = g.op.relu(convBn(ctx, x, `${name}.conv1`, `${name}.bn1`, planes, 1, 1, 0, false, cfg));
    out = g.op.relu(convBn(ctx, out, `${name}.conv2`, `${name}.bn2`, planes, 3, stride, 1, false, cfg));
    out = convBn(ctx, out, `${name}.conv3`, `${name}.bn3`, cout, 1, 1, 0, false, cfg);
  }
  let residual = x;
  if (stride !== 1 || cin !== cout) {
    residual = cfg.shortcut === 'A'
      ? shortcutA(ctx, x, cout, stride)
      : convBn(ctx, x, `${name}.downsample.0`, `${name}.downsample.1`, cout, 1, stride, 0, cfg.biasDownsample, cfg);
  }
  return g.op.relu(g.op.add(out, residual));
}

/** The encoder: x [N, inChannels, D, H, W] -> pooled features [N, featureDim]. Parameter names are `${prefix}<MONAI key>`. */
export function resnet3d(ctx: ModelContext, x: Value, cfg: ResNetConfig, prefix = ''): Value {
  const { g } = ctx;
  const k = cfg.conv1Kernel;
  // inference on NCHWc kernels: the stem, max-pool and layer1 (and layer2) in one blocked layout where the plan
  // allows it
  const blocked = blockedStem(ctx, x, cfg, prefix);
  let h: Value;
  if (blocked) h = blocked.h;
  else {
    // MaxPool before the Relu: Relu is monotonic, so relu(maxpool(v)) is maxpool(relu(v)) bit for bit, on 1/8 of
    // the voxels; the gradient is the same too (a window whose max is <= 0 gets dy * 0 at whichever position).
    h = convBn(ctx, x, `${prefix}conv1`, `${prefix}bn1`, cfg.widths[0], k, cfg.conv1Stride, Math.floor(k / 2), false, cfg);
    if (!cfg.noMaxPool) h = g.op.maxPool(h, { kernel_shape: [3, 3, 3], strides: [2, 2, 2], pads: [1, 1, 1, 1, 1, 1] });
    h = g.op.relu(h);
  }
  for (let i = blocked ? blocked.stages : 0; i < 4; i++) {
    for (let j = 0; j < cfg.layers[i]; j++) {
      const stride = j === 0 && i > 0 ? 2 : 1;
      h = block(ctx, h, `${prefix}layer${i + 1}.${j}`, cfg.widths[i], stride, cfg);
    }
  }
  return g.op.flatten(g.op.globalAveragePool(h), 1);
}
