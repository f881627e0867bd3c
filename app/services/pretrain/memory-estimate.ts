// Peak-memory estimate of a pretraining run, shown before it starts; a configuration that cannot fit is refused
// (MemoryBudgetError) instead of dying of out-of-memory half-way.
// The model: peak RSS = BASE + A * stateBytes + B * activationBytes, where
//   stateBytes      = 4 bytes x (online parameters x (2 + optimiser slots) + target parameters): the live tensors,
//                     the gradients and the checkpoint's encoded copy scale with it;
//   activationBytes = 4 bytes x 2 views x batch x (the elements of every conv output of the encoder, counted by
//                     walking MONAI's ResNet layout below): what the backward pass keeps, and im2col buffers, scale
//                     with it.
// BASE, A and B: from the peak RSS measured by `npm run bench -- pretrain-memory --fit` (ORT 1.30 CPU, 2 threads, the
// whole service process with its loader threads and the trainer's conv tuning, AMD EPYC Zen 2, load ~10, 09:36 UTC
// 2026-12-06, after native-models freed onnxruntime-node's output copies at once) on six configurations: BASE held
// at 350 MB (the measured peak of a tiny run is 344 MB; a free fit put it at 78 MB, which under-estimated tiny runs
// four-fold), A and B fitted by least squares, then all three raised by 9 % so that no measured peak is above its
// estimate (the fit was at the ResNet-34 one). Measured -> estimated: ResNet-10 32^3 b16 948 -> 1125 MB, ResNet-10
// 64^3 b8 1529 -> 1562, ResNet-18 48^3 b8 1576 -> 1876, ResNet-18 64^3 b4 GroupNorm 1755 -> 1930, ResNet-34 32^3 b8
// 2625 -> 2630, ResNet-50 32^3 b4 1946 -> 2311, the small quality-test network 344 -> 393: 0-19 % above, never below.
// GroupNorm + weight standardisation fits the same factors. Rechecked at 14:50 the same day with the trainer in its
// own process (the service's peak plus the trainer's, 1 MiB mmap threshold and huge pages): 984, 1354, 1284, 1704,
// 1989 and 1773 MB for the six configurations above, estimates 13-46 % above, never below; the model was not refit.
import os from 'node:os';
import fs from 'node:fs';
import type { MemoryEstimate, PretrainConfig, ResNetSpec } from '../../contract/types/runs.js';

export const MEMORY_MODEL = { baseMb: 382, stateFactor: 2.05, activationFactor: 3.32 } as const;

const cube = (k: number) => k * k * k;
const outSize = (n: number, k: number, s: number, p: number) => Math.floor((n + 2 * p - k) / s) + 1;

export interface NetworkSize {
  /** Encoder parameters (weights and biases; running statistics excluded). */
  encoderParams: number;
  projectorParams: number;
  predictorParams: number;
  /** Elements of every conv output of the encoder for one sample. */
  activationElements: number;
  /** Encoder feature size. */
  features: number;
}

/** Parameter and activation counts of the encoder (MONAI layout, models/resnet3d.ts) and the BYOL heads. */
export function networkSize(r: ResNetSpec, heads: PretrainConfig['heads'], box: [number, number, number]): NetworkSize {
  let params = 0;
  let act = 0;
  let dims = [...box];
  let c = r.inChannels;
  const conv = (cout: number, k: number, s: number, p: number, bias: boolean) => {
    params += cout * c * cube(k) + (bias ? cout : 0) + 2 * cout; // + norm weight and bias
    dims = dims.map((n) => outSize(n, k, s, p));
    act += cout * dims[0] * dims[1] * dims[2];
    c = cout;
  };
  const k = r.conv1Kernel;
  conv(r.widths[0], k, r.conv1Stride, Math.floor(k / 2), false);
  if (!r.noMaxPool) dims = dims.map((n) => outSize(n, 3, 2, 1));
  const exp = r.block === 'bottleneck' ? 4 : 1;
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < r.layers[i]; j++) {
      const stride = j === 0 && i > 0 ? 2 : 1;
      const cin = c;
      const inDims = dims;
      const planes = r.widths[i];
      if (r.block === 'basic') {
        conv(planes, 3, stride, 1, false);
        conv(planes, 3, 1, 1, false);
      } else {
        conv(planes, 1, 1, 0, false);
        conv(planes, 3, stride, 1, false);
        conv(planes * exp, 1, 1, 0, false);
      }
      if ((stride !== 1 || cin !== planes * exp) && r.shortcut === 'B') {
        const keep = { dims, c };
        dims = inDims;
        c = cin;
        conv(planes * exp, 1, stride, 0, r.biasDownsample);
        dims = keep.dims;
        c = keep.c;
      }
    }
  }
  const f = r.widths[3] * exp;
  const mlp = (inF: number, hidden: number, out: number) => inF * hidden + hidden + 2 * hidden + hidden * out + out;
  return {
    encoderParams: params,
    projectorParams: mlp(f, heads.projHidden, heads.projOut),
    predictorParams: mlp(heads.projOut, heads.predHidden, heads.projOut),
    activationElements: act,
    features: f,
  };
}

/** Memory available to a new process now, MB (Linux: MemAvailable; elsewhere the free memory). */
export function availableMemoryMb(): number {
  try {
    const m = /^MemAvailable:\s+(\d+) kB$/m.exec(fs.readFileSync('/proc/meminfo', 'utf8'));
    if (m) return Math.round(Number(m[1]) / 1024);
  } catch {
    /* not Linux */
  }
  return Math.round(os.freemem() / 2 ** 20);
}

export function estimateMemory(config: PretrainConfig, availableMb = availableMemoryMb()): MemoryEstimate {
  const n = networkSize(config.resnet, config.heads, config.input);
  const slots = config.optimizer.type === 'adamw' ? 2 : 1;
  const online = n.encoderParams + n.projectorParams + n.predictorParams;
  const target = n.encoderParams + n.projectorParams;
  const stateMb = (4 * (online * (2 + slots) + target)) / 2 ** 20;
  const actMb = (4 * 2 * config.batch * n.activationElements) / 2 ** 20;
  const parametersMb = Math.round(MEMORY_MODEL.stateFactor * stateMb);
  const activationsMb = Math.round(MEMORY_MODEL.activationFactor * actMb);
  const peakMb = MEMORY_MODEL.baseMb + parametersMb + activationsMb;
  return { peakMb, parametersMb, activationsMb, baseMb: MEMORY_MODEL.baseMb, availableMb, fits: peakMb <= availableMb };
}
