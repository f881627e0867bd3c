// A randomly initialised encoder's tensors by MONAI key (no prefix): the ParamSpecs a ResNet records when built
// once on a tiny input, initialised by init/init-params.ts (Kaiming normal fan_out for convs, BN weight 1 / bias 0,
// running mean 0 / var 1; deterministic by seed). This is DESIGN §6's random baseline before its BN statistics are
// re-estimated on data, and the encoder of an embedding made without a trained run.
import { GraphBuilder } from '../ops/builder.js';
import type { TensorData } from '../ir/tensor.js';
import { initParams } from '../init/init-params.js';
import { ParamSource } from '../models/params.js';
import { type ResNetConfig, resnet3d } from '../models/resnet3d.js';

export function randomEncoderParams(cfg: ResNetConfig, seed: number): Record<string, TensorData> {
  const g = new GraphBuilder('encoder-specs');
  const p = new ParamSource(g, 'float32', 'input');
  const size = 2 ** 6; // any size the strides reduce to >= 1 voxel
  resnet3d({ g, p, training: false, bnEps: 1e-5, bnMomentum: 0.1 }, g.input('x', 'float32', [1, cfg.inChannels, size, size, size]), cfg);
  return initParams(p.specs, seed);
}
