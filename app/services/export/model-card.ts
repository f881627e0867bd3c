// The model card of an export (after M. Mitchell et al., "Model Cards for Model Reporting", FAT* 2019, reduced to
// what a fine-tuning researcher needs): architecture and the exact MONAI constructor call, input geometry and
// normalisation, training configuration, provider and hardware, the training data as counts and a fingerprint,
// evaluation figures when there are any, the licence, the Voxelbase version, the files with their SHA-256, and the
// lines that load the weights. Built only from an ExportSource's settings and counts: no patient data, no paths.
import { featureDim } from '../../../native-models/index.js';
import type { ExportedFile, ModelCard, MonaiConstructor } from '../../contract/types.js';
import type { ExportSource } from './export-source.js';
import { type KeyStyle, MEDICALNET_PREFIX, monaiConstructor, monaiIncompatibility } from './monai-state-dict.js';
import type { OnnxVerification } from './onnx-encoder.js';

export type { ExportedFile, ModelCard };

export const MODEL_CARD_SCHEMA: ModelCard['schema'] = 'voxelbase-model-card/1';

export const FILES = {
  onnx: 'encoder.onnx',
  encoder: 'encoder.safetensors',
  heads: 'heads.safetensors',
  cardJson: 'model-card.json',
  cardMarkdown: 'model-card.md',
} as const;

const DEPTHS: Record<string, number> = { 'basic:1,1,1,1': 10, 'basic:2,2,2,2': 18, 'basic:3,4,6,3': 34, 'bottleneck:3,4,6,3': 50 };

export interface CardOptions {
  keys: KeyStyle;
  licence: string;
  version: string;
  createdAt: string;
  files: ExportedFile[];
  verification: OnnxVerification | null;
  /** Parameter count of the encoder (trainable tensors). */
  parameters: number;
}

/** The Python lines that load `encoder.safetensors` into MONAI's ResNet. */
export function loadingLines(ctor: MonaiConstructor, keys: KeyStyle): string[] {
  const load = keys === 'medicalnet'
    ? `encoder.load_state_dict({k.replace('${MEDICALNET_PREFIX}', '', 1): v for k, v in load_file('${FILES.encoder}').items()}, strict=True)`
    : `encoder.load_state_dict(load_file('${FILES.encoder}'), strict=True)`;
  return [
    'from monai.networks.nets import ResNet',
    'from safetensors.torch import load_file',
    `encoder = ${ctor.call}`,
    load,
    'encoder.eval()  # features = encoder(x), x: [N, 1, D, H, W] float32 prepared as the card says',
  ];
}

export function buildModelCard(src: ExportSource, o: CardOptions): ModelCard {
  const cfg = src.resnet;
  const monai = monaiIncompatibility(cfg) ? null : monaiConstructor(cfg);
  const depth = DEPTHS[`${cfg.block}:${cfg.layers.join(',')}`] ?? null;
  const notes: string[] = [
    `conv1 has stride ${cfg.conv1Stride} (MONAI's default is 1, MedicalNet's 2): the constructor call above sets it; leaving it out changes the features.`,
    'Stages 2-4 downsample with stride 2, as MONAI\'s ResNet; MedicalNet\'s own network dilates stages 3-4 instead, so its code computes different features with these weights.',
    'The ONNX model has BatchNorm folded into the convolutions (inference only); encoder.safetensors keeps BatchNorm with its running statistics for fine-tuning.',
  ];
  if (!monai) notes.push(monaiIncompatibility(cfg)!);
  if (o.keys === 'medicalnet') {
    notes.push(`Keys carry MedicalNet's '${MEDICALNET_PREFIX}' prefix; MONAI loads them after removing it (as its own MedicalNet loader does).`);
    if (cfg.shortcut === 'B' && cfg.biasDownsample) notes.push('downsample.0 has a bias (bias_downsample=True); MedicalNet\'s network has none, so its own code loads these weights only with strict=False.');
  }
  const runName = src.run.name;
  return {
    schema: MODEL_CARD_SCHEMA,
    name: `${runName} (step ${src.checkpoint.step})`,
    createdAt: o.createdAt,
    voxelbaseVersion: o.version,
    licence: o.licence,
    run: { ...src.run, checkpoint: { ...src.checkpoint } },
    architecture: {
      family: `3D ResNet${depth ? `-${depth}` : ''} (MONAI layout, K. Hara et al. 2018; K. He et al. 2016)`,
      depth,
      block: cfg.block,
      layers: [...cfg.layers],
      blockInplanes: [...cfg.widths],
      inChannels: cfg.inChannels,
      conv1: { kernel: cfg.conv1Kernel, stride: cfg.conv1Stride },
      maxPool: !cfg.noMaxPool,
      shortcutType: cfg.shortcut,
      biasDownsample: cfg.biasDownsample,
      norm: cfg.norm.kind === 'batch' ? 'BatchNorm3d' : `GroupNorm(${cfg.norm.groups ?? 32}) + weight standardisation`,
      featureDim: featureDim(cfg),
      parameters: o.parameters,
      monai,
    },
    input: {
      ...src.input,
      box: [...src.input.box],
      spacingMm: [...src.input.spacingMm],
      tensor: `[N, ${cfg.inChannels}, ${src.input.box.join(', ')}] (N, C, D, H, W)`,
      dtype: 'float32',
    },
    output: {
      name: 'embedding',
      shape: ['N', featureDim(cfg)],
      meaning: 'global-average-pooled features of the online encoder (BYOL\'s representation y, Grill et al. 2020, §3.1); no classification layer',
    },
    training: src.training,
    compute: src.compute,
    data: src.data,
    evaluation: src.evaluation ?? [],
    keys: o.keys,
    files: o.files,
    verification: o.verification,
    loading: monai ? loadingLines(monai, o.keys) : [],
    notes,
  };
}
