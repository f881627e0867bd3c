// How export reads pretraining runs: the runs module's public surface as the runs interface plans it
// (app/services/runs/index.ts: getRun, loadRunWeights), behind a small port so that the job, the handlers and their
// tests do not depend on how runs are stored. `runsModuleSource` is the app's binding; until the runs module is in
// the tree there are no runs, so every id is unknown (NotFoundError), which is the truth of such a catalogue.
import type { ResNetConfig, TensorData } from '../../../native-models/index.js';
import { NotFoundError } from '../../contract/errors.js';
import type { ServiceContext } from '../context.js';

/** A run as export needs it (the runs module's RunRecord). */
export interface ExportRunRecord {
  id: number;
  name: string;
  state: string;
  cohort: { id: number; name: string; members: number; fingerprint: string } | null;
  /** The run's PretrainConfig (architecture, heads, optimiser, lr, batch, steps, seed, box, preprocessing,
   *  augmentations, BN statistics). */
  config: Record<string, unknown>;
  provider: string;
  hardware: { cpu: string; gpu?: string; threads: number };
  step: number;
  totalSteps: number;
  createdAt: string;
  endedAt: string | null;
}

/** One checkpoint's online network (runs' loadRunWeights). */
export interface RunWeights {
  resnet: ResNetConfig;
  encoder: Record<string, TensorData>;
  projector: Record<string, TensorData>;
  predictor: Record<string, TensorData>;
  step: number;
  /** The checkpoint file (its name is what the card states). */
  checkpoint: string;
}

export interface RunSource {
  /** The run; NotFoundError naming the id. */
  get(id: number): ExportRunRecord;
  /** Its online weights at the latest checkpoint, or at `step`. */
  weights(run: ExportRunRecord, step?: number): Promise<RunWeights>;
}

export function runsModuleSource(_ctx: ServiceContext): RunSource {
  const none = (id: number): never => {
    throw new NotFoundError(`no pretraining run ${id}: this catalogue has no runs yet`);
  };
  return { get: none, weights: async (run) => none(run.id) };
}
