// What an export is made from: one run's encoder (and heads) at one checkpoint, with the facts the model card
// states. The runs adapter (from-run.ts) fills it from a run record and its checkpoint; tests fill it from a
// ByolTrainRunner. Only counts, hashes and settings belong here: never patient data or source paths.
import type { ResNetConfig } from '../../../native-models/index.js';
import type { EvaluationFigure, ExportDataSummary, ExportInput, ExportRunInfo } from '../../contract/types.js';
import type { StateDict } from './monai-state-dict.js';

export type { ExportInput };

export interface ExportSource {
  run: ExportRunInfo;
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
  data: ExportDataSummary | null;
  /** Evaluation figures when the run has any (e.g. kNN accuracy against a label). */
  evaluation?: EvaluationFigure[];
}
