// Where the trainer caches the conv plans it tunes (native-models autotuning, issue #13): `<data folder>/tuning`,
// holding conv-plans.json (one plan per CPU model + ISA flags + threads + onnxruntime version). The first training
// run of a configuration on a machine times the candidate conv formulations (seconds) and later runs read the plan;
// `voxelbase info` shows it. Deleting the folder makes the next run tune again.
import path from 'node:path';

export function tuningDir(dataDir: string): string {
  return path.join(dataDir, 'tuning');
}
