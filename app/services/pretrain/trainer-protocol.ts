// Messages between a pretrain job (trainer.ts, service side) and its trainer process (app/workers/trainer-process.ts).
import type { SerializedError } from '../../contract/types/errors.js';
import type { RunCheckpointRef, RunMetric } from '../../contract/types/runs.js';
import type { TrainLoopInput } from './train-loop.js';

/** Trainer -> job. */
export type TrainerMessage =
  | { t: 'ready'; provider: string; startStep: number; buildMs: number; skipped: string[]; providerErrors: string[] }
  | { t: 'step'; metric: RunMetric }
  | ({ t: 'checkpoint'; bytes: number; ms: number } & RunCheckpointRef)
  | { t: 'paused'; step: number }
  | { t: 'end'; outcome: 'done' | 'stopped'; step: number; provider: string; peakRssMb: number }
  | { t: 'error'; error: SerializedError };

/** Job -> trainer ('start' comes first, once). */
export type TrainerCommand = { t: 'start'; input: TrainLoopInput } | { t: 'pause' } | { t: 'resume' } | { t: 'stop' };
