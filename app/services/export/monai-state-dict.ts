// The encoder's tensors as the state dict of MONAI's 3D ResNet (monai/networks/nets/resnet.py, class ResNet with
// feed_forward=False): the exact key set, shapes and dtypes that `ResNet(...).state_dict()` has for the run's
// architecture, so that `load_state_dict(..., strict=True)` accepts it. Weights, biases and BN running statistics
// are float32 (PyTorch's default dtype), every BatchNorm's `num_batches_tracked` an int64 scalar (shape []).
// The key layout is not written down twice: it is the one the engine's ResNet reads its parameters by
// (native-models/models/resnet3d.ts, checked against MONAI by tests/integration/native-models/monai-keys.test.ts).
// Here the unfolded inference graph is built from the given tensors: a missing key or a wrong shape fails there,
// naming the key, and the graph's initializers are exactly the keys the architecture has; anything else is refused.
// MedicalNet's released checkpoints (Tencent/MedicalNet, models/resnet.py, saved from nn.DataParallel) use the same
// names under `module.` (MONAI's _resnet strips it with key.replace("module.", "")); `keys: 'medicalnet'` adds it.
import { buildEncoder, GraphError, type ResNetConfig, type TensorData } from '../../../native-models/index.js';
import type { ExportKeyStyle, MonaiConstructor } from '../../contract/types.js';
import { ExportError } from './errors.js';

export type { MonaiConstructor };

export type KeyStyle = ExportKeyStyle;

export const MEDICALNET_PREFIX = 'module.';

/** Python literal of a keyword argument's value. */
function py(v: boolean | number | string | number[]): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'string') return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (Array.isArray(v)) return `[${v.join(', ')}]`;
  return String(v);
}

/** Why an encoder cannot be a MONAI ResNet, or null when it can. */
export function monaiIncompatibility(cfg: ResNetConfig): string | null {
  if (cfg.norm.kind !== 'batch') {
    return `MONAI's ResNet has BatchNorm and plain convolutions; this encoder uses ${cfg.norm.kind} norm with weight-standardised convolutions, which no MONAI constructor reproduces (export it as ONNX)`;
  }
  return null;
}

/** `monai.networks.nets.ResNet(...)` for `cfg`: every argument spelled out (MONAI's defaults differ from ours). */
export function monaiConstructor(cfg: ResNetConfig): MonaiConstructor {
  const why = monaiIncompatibility(cfg);
  if (why) throw new ExportError(why);
  const kwargs: MonaiConstructor['kwargs'] = {
    block: cfg.block,
    layers: [...cfg.layers],
    block_inplanes: [...cfg.widths],
    spatial_dims: 3,
    n_input_channels: cfg.inChannels,
    conv1_t_size: cfg.conv1Kernel,
    conv1_t_stride: cfg.conv1Stride,
    no_max_pool: cfg.noMaxPool,
    shortcut_type: cfg.shortcut,
    feed_forward: false,
    bias_downsample: cfg.biasDownsample,
  };
  const args = Object.entries(kwargs).map(([k, v]) => `${k}=${py(v)}`);
  return { module: 'monai.networks.nets.ResNet', kwargs, call: `ResNet(${args.join(', ')})` };
}

/** A named tensor of an exported state dict (what safetensors files hold). */
export type StateDict = Record<string, TensorData>;

const NBT = /\.num_batches_tracked$/;

function asFloat32(key: string, t: TensorData): TensorData {
  if (t.dtype === 'float32') return t;
  if (t.dtype !== 'float64') throw new ExportError(`tensor ${key} is ${t.dtype}, expected a float tensor`);
  return { dtype: 'float32', dims: [...t.dims], data: Float32Array.from(t.data as Float64Array) };
}

function batchesTracked(key: string, t: TensorData | undefined): TensorData {
  if (!t) throw new ExportError(`encoder weights have no ${key} (every BatchNorm layer needs its num_batches_tracked)`);
  if (t.data.length !== 1) throw new ExportError(`${key} has ${t.data.length} values, expected one`);
  const n = typeof t.data[0] === 'bigint' ? t.data[0] : BigInt(Math.round(Number(t.data[0])));
  return { dtype: 'int64', dims: [], data: BigInt64Array.from([n]) };
}

/**
 * The encoder's weights (MONAI keys without prefix, as the runs module and `runner.stateDict('online.encoder.')`
 * give them) as MONAI's ResNet state dict for `cfg`, optionally under MedicalNet's `module.` prefix.
 * Refuses missing keys, wrong shapes and keys the architecture does not have, naming them; `what` names the source.
 */
export function monaiStateDict(cfg: ResNetConfig, encoder: StateDict, keys: KeyStyle = 'monai', what = 'encoder'): StateDict {
  monaiConstructor(cfg);
  const params: StateDict = {};
  for (const [k, v] of Object.entries(encoder)) if (!NBT.test(k)) params[k] = v;
  let used: string[];
  try {
    const g = buildEncoder(cfg, params, { spatial: [32, 32, 32], foldBn: false });
    // Initializers are the parameters read by key, plus the graph's own constants (pads, slice bounds ...).
    used = g.initializers.map((i) => i.value.name).filter((k) => Object.hasOwn(params, k));
  } catch (err) {
    if (err instanceof GraphError) throw new ExportError(`${what} does not fit the architecture: ${err.message}`);
    throw err;
  }
  const out: StateDict = {};
  const prefix = keys === 'medicalnet' ? MEDICALNET_PREFIX : '';
  for (const k of used) {
    out[prefix + k] = asFloat32(k, params[k]);
    if (k.endsWith('.running_mean')) {
      const nbt = k.replace(/running_mean$/, 'num_batches_tracked');
      out[prefix + nbt] = batchesTracked(nbt, encoder[nbt]);
    }
  }
  const extra = Object.keys(encoder).filter((k) => !(prefix + k in out));
  if (extra.length) {
    throw new ExportError(`${what} has ${extra.length} tensor(s) that MONAI's ResNet does not: ${extra.slice(0, 5).join(', ')}${extra.length > 5 ? ', ...' : ''}`);
  }
  return out;
}
