// Shared by the graph tests: a tiny BYOL step (ResNet-10, widths 8-16, heads 32 -> 8, batch 2 x 1 x 16^3) that
// builds and runs in well under a second, and seeded random views for it.
import { Philox } from '../../../../native-models/init/philox.js';
import type { TensorData } from '../../../../native-models/ir/tensor.js';
import type { TrainStepConfig } from '../../../../native-models/graphs/train-step.js';
import { resnetPreset } from '../../../../native-models/models/resnet3d.js';

export const TINY_SIZE = 16;
export const TINY_BATCH = 2;

/** The tiny step with AdamW; override any field (encoder widths, optimiser, ...). */
export function tinyByol(over: Partial<TrainStepConfig> = {}): TrainStepConfig {
  return {
    encoder: resnetPreset(10, { widths: [8, 8, 16, 16] }),
    heads: { projHidden: 32, projOut: 8, predHidden: 32 },
    optimizer: { type: 'adamw', betas: [0.9, 0.999], eps: 1e-8 },
    batch: TINY_BATCH,
    inputShape: [1, TINY_SIZE, TINY_SIZE, TINY_SIZE],
    ...over,
  };
}

/** A view [2, 1, 16, 16, 16] of standard normal values from Philox(seed). */
export function tinyView(seed: number): TensorData {
  const r = new Philox(seed);
  const d = new Float32Array(TINY_BATCH * TINY_SIZE ** 3);
  for (let i = 0; i < d.length; i++) d[i] = r.normal();
  return { dtype: 'float32', dims: [TINY_BATCH, 1, TINY_SIZE, TINY_SIZE, TINY_SIZE], data: d };
}
