// A run's trained networks from its latest (or a given) checkpoint, as search, embedding and export use them: the
// encoder as a MONAI state dict without prefix (conv1.weight, bn1.running_mean, bn1.num_batches_tracked,
// layer1.0.conv1.weight ...), and the BYOL heads (PyTorch Sequential keys 0, 1, 3). 'online' is the trained network
// (BYOL's result); 'target' its EMA (no predictor: an empty map).
import type { ResNetConfig, TensorData } from '../../../native-models/index.js';
import { CheckpointError } from '../../contract/errors.js';
import type { RunRecord } from '../../contract/types/runs.js';
import { checkpointDir, latestCheckpoint } from './checkpoints.js';

export interface RunWeights {
  resnet: ResNetConfig;
  encoder: Record<string, TensorData>;
  projector: Record<string, TensorData>;
  predictor: Record<string, TensorData>;
  /** The checkpoint's step and file name. */
  step: number;
  checkpoint: string;
}

function part(tensors: Record<string, TensorData>, prefix: string): Record<string, TensorData> {
  const out: Record<string, TensorData> = {};
  for (const [k, v] of Object.entries(tensors)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
  return out;
}

export async function loadRunWeights(dataDir: string, run: RunRecord, opts: { which?: 'online' | 'target'; step?: number } = {}): Promise<RunWeights> {
  const which = opts.which ?? 'online';
  const { checkpoint, skipped } = latestCheckpoint(checkpointDir(dataDir, run.id), { step: opts.step });
  if (!checkpoint) {
    const what = opts.step === undefined ? 'no checkpoint' : `no checkpoint at step ${opts.step}`;
    throw new CheckpointError(`run ${run.id} (${run.name}) has ${what}${skipped.length ? `; unusable: ${skipped.join('; ')}` : ''}`);
  }
  if (checkpoint.run !== run.id) throw new CheckpointError(`checkpoint ${checkpoint.file} in run ${run.id}'s folder belongs to run ${checkpoint.run}`);
  const encoder = part(checkpoint.tensors, `${which}.encoder.`);
  if (!Object.keys(encoder).length) throw new CheckpointError(`checkpoint ${checkpoint.file} of run ${run.id} holds no ${which} encoder`);
  return {
    resnet: checkpoint.config.resnet as ResNetConfig,
    encoder,
    projector: part(checkpoint.tensors, `${which}.projector.`),
    predictor: part(checkpoint.tensors, `${which}.predictor.`),
    step: checkpoint.step,
    checkpoint: checkpoint.file,
  };
}
