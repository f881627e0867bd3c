// Messages between a pretrain job (trainer.ts, service side) and its worker thread (app/workers/trainer-worker.ts).
import type { SerializedError } from '../../contract/types/errors.js';
import type { RunCheckpointRef, RunMetric } from '../../contract/types/runs.js';

/** Worker -> job. */
export type TrainerMessage =
  | { t: 'ready'; provider: string; startStep: number; buildMs: number; skipped: string[]; providerErrors: string[] }
  | { t: 'step'; metric: RunMetric }
  | ({ t: 'checkpoint'; bytes: number; ms: number } & RunCheckpointRef)
  | { t: 'paused'; step: number }
  | { t: 'end'; outcome: 'done' | 'stopped'; step: number; provider: string }
  | { t: 'error'; error: SerializedError };

/** Job -> worker. */
export type TrainerCommand = { t: 'pause' } | { t: 'resume' } | { t: 'stop' };
