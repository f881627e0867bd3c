// Public module of the runs domain (training runs: records, checkpoints, metrics). Search, embedding and export
// use trained encoders through here:
//
//   listRuns(db) -> RunRecord[]            newest first; runs whose process died show as 'interrupted'
//   getRun(db, id) -> RunRecord            NotFoundError naming the id
//   loadRunWeights(dataDir, run, { which?: 'online' | 'target', step? })
//       -> { resnet, encoder, projector, predictor, step, checkpoint }   encoder: MONAI state-dict keys without
//       prefix (conv1.weight, bn1.running_mean, bn1.num_batches_tracked, layer1.0.conv1.weight ...); heads with
//       PyTorch Sequential keys (0, 1, 3); the newest checkpoint that verifies (CheckpointError when none does)
//   readMetrics(db, run, afterStep?, maxPoints?) -> RunMetricsPage
//   runDir(dataDir, id), checkpointDir(dataDir, id), listCheckpoints(dir)
//
// The trainer (app/services/pretrain) writes runs through records.ts, metrics.ts and checkpoints.ts.
export { listRuns, getRun, createRun, claimRun, updateRun, isRunLive, markInterruptedRuns, type NewRun, type RunUpdate } from './records.js';
export { appendMetrics, readMetrics, truncateMetrics, lastMetric } from './metrics.js';
export {
  runDir,
  checkpointDir,
  checkpointName,
  listCheckpoints,
  latestCheckpoint,
  readCheckpoint,
  writeCheckpoint,
  pruneCheckpoints,
  type Checkpoint,
  type CheckpointMeta,
} from './checkpoints.js';
export { loadRunWeights, type RunWeights } from './weights.js';
export { runsHandlers } from './handlers.js';
export type { RunRecord, RunState, RunMetric, RunMetricsPage, PretrainConfig, RunCheckpointRef } from '../../contract/types/runs.js';
