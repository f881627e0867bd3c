// runs:* calls: training runs (records, per-step metrics). Types: types/runs.ts. Runs are started and resumed by
// pretrain:* (calls/pretrain.ts); their jobs are followed with jobs:* and `job-progress`.
import { z } from 'zod';
import { call } from '../define.js';
import type { RunMetricsPage, RunRecord } from '../types/runs.js';

const runId = z.number().int().positive();

export const runsCalls = {
  /** Every run, newest first. */
  'runs:list': call<RunRecord[]>()(z.object({}).strict()),
  /** One run (NotFoundError naming the id when there is none). */
  'runs:get': call<RunRecord>()(z.object({ run: runId }).strict()),
  /** A run's per-step metrics after `afterStep` (default: from the start), thinned evenly to `maxPoints`. */
  'runs:metrics': call<RunMetricsPage>()(
    z
      .object({
        run: runId,
        afterStep: z.number().int().min(0).default(0),
        maxPoints: z.number().int().min(2).max(100000).default(2000),
      })
      .strict(),
  ),
} as const;
