// The encoder for inference: the 3D ResNet (models/resnet3d.ts) with weights baked in as initializers, BatchNorm
// folded into the convolutions (models/fold-bn.ts) unless `foldBn: false`, a dynamic batch dimension (or a static
// one), and the global-average-pooled features as output `embedding` [N, featureDim] (BYOL's representation y,
// Grill et al. 2020 §3.1). Parameters are read by their MONAI keys under `prefix` (e.g. `online.encoder.`, or ''
// for an export).
import { GraphBuilder } from '../ops/builder.js';
import type { DType } from '../ir/dtype.js';
import type { Graph } from '../ir/graph.js';
import type { Dim } from '../ir/shape.js';
import type { TensorData } from '../ir/tensor.js';
import { ParamSource } from '../models/params.js';
import { dropUnusedOutputs } from '../passes/unused-outputs.js';
import { type ResNetConfig, resnet3d } from '../models/resnet3d.js';
import type { ConvPlanner } from '../ops/conv-plan.js';
import { defaultPlanner } from '../tuning/autotune.js';

export interface EncoderGraphOptions {
  /** Spatial size [D, H, W]; numbers, or strings for symbolic dims. */
  spatial: [Dim, Dim, Dim];
  prefix?: string;
  dtype?: DType;
  foldBn?: boolean;
  bnEps?: number;
  /** Conv formulations (tuning/autotune.ts); default: the documented default rules on the CPU. */
  convPlanner?: ConvPlanner;
  /** A static batch size; default: a symbolic batch dimension (any number of inputs per run). A static batch lets
   *  every conv be planned at its real signature (the batched-Gemm lowering needs it) and ORT plan its buffers. */
  batch?: number;
}

export function buildEncoder(cfg: ResNetConfig, params: Record<string, TensorData>, opts: EncoderGraphOptions): Graph {
  const dtype = opts.dtype ?? 'float32';
  const g = new GraphBuilder('encoder');
  g.convPlanner = opts.convPlanner ?? defaultPlanner();
  const p = new ParamSource(g, dtype, 'initializer', params);
  const x = g.input('image', dtype, [opts.batch ?? 'batch', cfg.inChannels, ...opts.spatial]);
  const h = resnet3d({ g, p, training: false, bnEps: opts.bnEps ?? 1e-5, bnMomentum: 0.1, foldBn: opts.foldBn ?? true }, x, cfg, opts.prefix ?? '');
  g.output(h, 'embedding');
  const graph = g.build();
  dropUnusedOutputs(graph); // MaxPool Indices: no gradient here
  return graph;
}
