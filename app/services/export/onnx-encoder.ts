// The encoder for inference as an ONNX model: the online encoder with BatchNorm folded into its convolutions
// (native-models buildEncoder), opset 17, input `image` [batch, C, D, H, W] float32 with a symbolic batch axis, output
// `embedding` [batch, featureDim] (the global-average-pooled features). What input the model expects (box, spacing,
// orientation, intensity normalisation), which run made it and the Voxelbase version travel as ModelProto
// metadata_props, readable with onnx (`{p.key: p.value for p in model.metadata_props}`) or onnxruntime
// (`session.get_modelmeta().custom_metadata_map`).
// verifyEncoderOnnx runs the serialised model in onnxruntime beside the unfolded encoder (BN as its own op with the
// running statistics) on seeded inputs: folding must not change the features (largest difference relative to the
// largest feature, recorded in the model card).
import {
  buildEncoder,
  GraphSession,
  Philox,
  serializeModel,
  type ResNetConfig,
  type TensorData,
} from '../../../native-models/index.js';
import { ExportError } from './errors.js';
import type { StateDict } from './monai-state-dict.js';

export const ONNX_INPUT = 'image';
export const ONNX_OUTPUT = 'embedding';

/** The encoder as ONNX bytes; `box` is [D, H, W] in voxels. */
export function encoderOnnx(cfg: ResNetConfig, encoder: StateDict, box: [number, number, number], metadata: Record<string, string>, docString: string): Uint8Array {
  const graph = buildEncoder(cfg, encoder, { spatial: box, foldBn: true, dtype: 'float32' });
  if (graph.inputs[0]?.name !== ONNX_INPUT || graph.outputs[0]?.name !== ONNX_OUTPUT) {
    throw new ExportError(`encoder graph has input ${graph.inputs[0]?.name} and output ${graph.outputs[0]?.name}, expected ${ONNX_INPUT} -> ${ONNX_OUTPUT}`);
  }
  return serializeModel(graph, { metadata, docString });
}

export interface OnnxVerification {
  /** max |onnx - reference| / max |reference| over every feature of the batch. */
  maxRelDiff: number;
  batch: number;
  /** What the inputs were. */
  input: string;
}

/** Runs `bytes` and the unfolded encoder on `batch` seeded standard-normal inputs of the box and compares. */
export async function verifyEncoderOnnx(
  bytes: Uint8Array,
  cfg: ResNetConfig,
  encoder: StateDict,
  box: [number, number, number],
  opts: { batch?: number; seed?: number; threads?: number } = {},
): Promise<OnnxVerification> {
  const batch = opts.batch ?? 1;
  const seed = opts.seed ?? 20250101;
  const n = batch * cfg.inChannels * box[0] * box[1] * box[2];
  const r = new Philox(seed);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = r.normal();
  const image: TensorData = { dtype: 'float32', dims: [batch, cfg.inChannels, ...box], data };
  // The reference runs without graph optimisations: ORT would otherwise fold Conv + BN itself.
  const run = async (model: Uint8Array | ReturnType<typeof buildEncoder>, optimise: boolean): Promise<Float32Array> => {
    const s = await GraphSession.create(model, { intraOpNumThreads: opts.threads ?? 2, graphOptimizationLevel: optimise ? 'all' : 'disabled' });
    try {
      const out = await s.run({ [ONNX_INPUT]: image }, [ONNX_OUTPUT]);
      return out[ONNX_OUTPUT].data as Float32Array;
    } finally {
      await s.release();
    }
  };
  const got = await run(bytes, true);
  const ref = await run(buildEncoder(cfg, encoder, { spatial: box, foldBn: false, dtype: 'float32' }), false);
  let scale = 0;
  let diff = 0;
  for (let i = 0; i < ref.length; i++) {
    scale = Math.max(scale, Math.abs(ref[i]));
    diff = Math.max(diff, Math.abs(got[i] - ref[i]));
  }
  if (!Number.isFinite(diff) || !Number.isFinite(scale)) throw new ExportError('the exported ONNX encoder gives non-finite features on a seeded input');
  return { maxRelDiff: scale > 0 ? diff / scale : diff, batch, input: `${batch} x ${cfg.inChannels} x ${box.join(' x ')} standard normal values (Philox seed ${seed})` };
}
