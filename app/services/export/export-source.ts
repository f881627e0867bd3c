// What an export is made from: one run's encoder (and heads) at one checkpoint, with the facts the model card
// states. The runs adapter (from-run.ts) fills it from a run record and its checkpoint; tests fill it from a
// ByolTrainRunner. Only counts, hashes and settings belong here: never patient data or source paths.
import type { ResNetConfig } from '../../../native-models/index.js';
import type { StateDict } from './monai-state-dict.js';

/** What the encoder expects as input (the run's preprocessing). */
export interface ExportInput {
  /** Voxels along the tensor's D, H, W axes. */
  box: [number, number, number];
  /** Voxel size in mm along D, H, W. */
  spacingMm: [number, number, number];
  /** Orientation the volumes were brought to before cropping, e.g. 'RAS'. */
  orientation: string;
  /** What each of the tensor's axes D, H, W runs along, in words (e.g. 'D: right to left (x) ...'). */
  axes: string;
  /** Intensity normalisation settings, JSON-safe (e.g. {mr: 'foreground percentile z-score', ...}). */
  intensity: Record<string, unknown>;
}

export interface ExportSource {
  run: {
    id: number;
    name: string;
    state: string;
    step: number;
    totalSteps: number;
    createdAt: string;
    endedAt: string | null;
  };
  /** The checkpoint the weights come from: its step and file name (a name, not a path). */
  checkpoint: { step: number; file: string };
  resnet: ResNetConfig;
  /** Online encoder weights by MONAI key (no prefix), num_batches_tracked included. */
  encoder: StateDict;
  /** BYOL projector and predictor (PyTorch Sequential keys 0, 1, 3), for continuing self-supervised training. */
  heads?: { projector: StateDict; predictor: StateDict };
  input: ExportInput;
  /** Training configuration, JSON-safe, already limited to settings (optimiser, lr, batch, steps, seed, heads,
   *  augmentations, BN statistics ...). */
  training: Record<string, unknown>;
  compute: { provider: string; hardware: { cpu: string; gpu?: string; threads: number } };
  /** The training data as counts and a content fingerprint (no names, ids or paths). */
  data: { series: number; fingerprint: string } | null;
  /** Evaluation figures when the run has any (e.g. kNN accuracy against a label). */
  evaluation?: { metric: string; value: number; label?: string; baseline?: number; detail?: string }[];
}
