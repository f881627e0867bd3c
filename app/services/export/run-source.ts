// How export reads pretraining runs: through the runs module's public surface (app/services/runs/index.ts: getRun,
// loadRunWeights), behind a two-function port so that the job and its tests need not know how runs are stored.
import type { RunRecord } from '../../contract/types/runs.js';
import type { ServiceContext } from '../context.js';
import { getRun, loadRunWeights, type RunWeights } from '../runs/index.js';

export type { RunRecord, RunWeights };

export interface RunSource {
  /** The run; NotFoundError naming the id. */
  get(id: number): RunRecord;
  /** Its online weights at the latest checkpoint that verifies, or at `step` (CheckpointError when there is none). */
  weights(run: RunRecord, step?: number): Promise<RunWeights>;
}

export function runsModuleSource(ctx: ServiceContext): RunSource {
  return {
    get: (id) => getRun(ctx.db, id),
    weights: (run, step) => loadRunWeights(ctx.dataDir, run, { which: 'online', step }),
  };
}
