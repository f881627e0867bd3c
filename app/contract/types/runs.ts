// Training runs and the `pretrain` job (DESIGN §5, §5a): a run is a catalogue row (its full configuration, the
// data it trained on with a content fingerprint, the provider and hardware, its state and step) plus a folder
// `<dataDir>/runs/<id>/` of checkpoints; its per-step metrics are catalogue rows too. Plain data, no behaviour.
import type { AugmentConfig, AugmentConfigInput, PreprocessSettings } from './data.js';

export type PretrainArch = 'resnet10' | 'resnet18' | 'resnet34' | 'resnet50';
export const PRETRAIN_ARCHS: readonly PretrainArch[] = ['resnet10', 'resnet18', 'resnet34', 'resnet50'];

/** The encoder's architecture in MONAI's terms (the same fields as native-models' ResNetConfig). */
export interface ResNetSpec {
  block: 'basic' | 'bottleneck';
  layers: [number, number, number, number];
  widths: [number, number, number, number];
  inChannels: number;
  conv1Kernel: number;
  conv1Stride: number;
  noMaxPool: boolean;
  shortcut: 'A' | 'B';
  biasDownsample: boolean;
  /** 'batch' (BN; per-view statistics in the BYOL step) or 'group' (GroupNorm + weight standardisation). */
  norm: { kind: 'batch' | 'group'; groups?: number; wsEps?: number };
}

export type PretrainOptimizerConfig =
  | { type: 'lars'; momentum: number; eta: number }
  | { type: 'adamw'; betas: [number, number]; eps: number; exclude: 'bias_norm' | 'none' };

/** Everything that decides what a run computes (recorded whole with the run; a resumed run uses it unchanged). */
export interface PretrainConfig {
  arch: PretrainArch;
  resnet: ResNetSpec;
  /** BYOL projector / predictor sizes (Linear(hidden)-BN-ReLU-Linear(out)). */
  heads: { projHidden: number; projOut: number; predHidden: number };
  optimizer: PretrainOptimizerConfig;
  /** Peak learning rate, reached at the end of the warm-up, then cosine to 0. */
  lr: number;
  weightDecay: number;
  warmupSteps: number;
  /** Samples per view per step. */
  batch: number;
  steps: number;
  /** When the run was sized in epochs: the epochs the steps amount to. */
  epochs: number | null;
  seed: number;
  /** EMA schedule tau_k = 1 - (1 - tauBase)(cos(pi k / K) + 1) / 2 (BYOL: 0.996; 0.99 for short runs). */
  tauBase: number;
  /** Input box [d, h, w] in voxels of `preprocess.spacing`. */
  input: [number, number, number];
  preprocess: PreprocessSettings;
  augment: AugmentConfig;
  /** BN batch statistics per view (BYOL as published) or over both views. */
  bnStatistics: 'per-view' | 'joint';
  checkpoint: { everySteps: number; everySeconds: number; keep: number };
  /** onnxruntime intra-op threads of the step, and loader worker threads. */
  threads: number;
  loaderWorkers: number;
}

/** 'interrupted': the process running it ended without finishing (crash, kill -9); `pretrain --resume` goes on. */
export type RunState = 'running' | 'paused' | 'done' | 'failed' | 'cancelled' | 'interrupted';
export const RUN_STATES: readonly RunState[] = ['running', 'paused', 'done', 'failed', 'cancelled', 'interrupted'];

export interface RunHardware {
  cpu: string;
  gpu?: string;
  threads: number;
}

export interface RunCheckpointRef {
  step: number;
  /** File name inside the run's checkpoint folder (a name, not a path). */
  file: string;
}

export interface RunRecord {
  id: number;
  name: string;
  state: RunState;
  /** The cohort the run was started on (null for an ad-hoc list of series). */
  cohort: { id: number; name: string; members: number; fingerprint: string } | null;
  /** What it trained on: the series used (in loader order), those skipped with why, and a fingerprint of the
   *  preprocessed data (settings key + each series' source fingerprint and voxel CRC). */
  data: {
    seriesIds: number[];
    skipped: { seriesId: number; reason: string }[];
    settingsKey: string;
    fingerprint: string;
  } | null;
  config: PretrainConfig;
  /** The execution provider that ran it ('cpu', 'cuda', 'webgpu'); '' until the trainer has started. */
  provider: string;
  hardware: RunHardware;
  /** Steps done (the last recorded metric's step). */
  step: number;
  totalSteps: number;
  createdAt: string;
  endedAt: string | null;
  /** The job that runs (or last ran) it. */
  job: string | null;
  lastLoss: number | null;
  /** The latest checkpoint on disk. */
  checkpoint: RunCheckpointRef | null;
  /** Why it failed or stopped. */
  message: string | null;
}

/** One step's metrics. */
export interface RunMetric {
  step: number;
  loss: number;
  /** Collapse monitor: std of the L2-normalised online projections (~1/sqrt(d) healthy, 0 collapsed). */
  collapseStd: number | null;
  lr: number;
  tau: number;
  /** Wall time of the step (the session run) and the time spent waiting for the loader before it, ms. */
  stepMs: number;
  waitMs: number;
  /** Resident set size of the process after the step, MB. */
  rssMb: number;
  /** Seconds since the run (or its resumption) started training. */
  elapsed: number;
}

export interface RunMetricsPage {
  run: number;
  /** Metrics in step order; evenly thinned to `maxPoints` when there are more. */
  metrics: RunMetric[];
  /** Steps recorded in all. */
  total: number;
}

// ---- the pretrain job --------------------------------------------------------------------------

/** prepare: planning; preprocess: the series into the cache; build: the training graph and session; train. */
export type PretrainStep = 'prepare' | 'preprocess' | 'build' | 'train';

export interface PretrainProgressDetail {
  run: number;
  step: number;
  totalSteps: number;
  loss: number | null;
  collapseStd: number | null;
  lr: number;
  tau: number;
  /** Samples (pairs of views) per second over the recent steps. */
  samplesPerSec: number | null;
  /** Share of the recent wall time spent waiting for the loader (0..1). */
  dataWait: number | null;
  rssMb: number | null;
  provider: string;
  /** The latest checkpoint's step. */
  checkpointStep: number | null;
  /** Preprocessing of the cohort before training: series done / total. */
  preprocessed: { done: number; total: number } | null;
}

export interface PretrainResult {
  run: number;
  state: RunState;
  step: number;
  lastLoss: number | null;
  checkpoint: RunCheckpointRef | null;
  /**
   * The step this job's training began from: 0 for a new run; for a resume, the step of the checkpoint it loaded
   * (an older one when the newest did not verify). Null when the job ended before training began.
   */
  startStep: number | null;
  /** Peak resident memory of the trainer's process (MB); null when the job ended before training began. */
  trainerPeakRssMb: number | null;
}

// ---- planning: defaults and the memory estimate ------------------------------------------------

/** Options of a run as calls and the CLI accept them (every field optional: defaults fill the rest). */
export interface PretrainOptions {
  arch?: PretrainArch;
  /** Cubic box edge, or [d, h, w]. */
  input?: number | [number, number, number];
  /** Isotropic voxel size in mm. */
  spacing?: number;
  batch?: number;
  steps?: number;
  epochs?: number;
  optimizer?: 'lars' | 'adamw';
  lr?: number;
  weightDecay?: number;
  warmupSteps?: number;
  seed?: number;
  tauBase?: number;
  norm?: 'batch' | 'group';
  bnStatistics?: 'per-view' | 'joint';
  threads?: number;
  loaderWorkers?: number;
  /** Encoder widths (small test configurations). */
  widths?: [number, number, number, number];
  heads?: { projHidden: number; projOut: number; predHidden: number };
  augment?: AugmentConfigInput;
  checkpointEvery?: number;
  checkpointMinutes?: number;
  keepCheckpoints?: number;
}

export interface MemoryEstimate {
  /** Predicted peak resident memory of the training process, MB. */
  peakMb: number;
  /** Parts: parameters, buffers and optimiser state; activations kept for the backward pass; the rest. */
  parametersMb: number;
  activationsMb: number;
  baseMb: number;
  /** Memory this machine has available now, MB. */
  availableMb: number;
  fits: boolean;
}

export interface PretrainPlan {
  config: PretrainConfig;
  /** The cohort planned on (null for a list of series), and the members left out with why. */
  cohort: { id: number; name: string; members: number } | null;
  skipped: { seriesId: number; reason: string }[];
  /** The provider a run would use now, and every probed one. */
  provider: string;
  providers: { name: string; works: boolean; detail?: string }[];
  estimate: MemoryEstimate;
  /** Series the run would train on, and a note for each choice the defaults made. */
  series: number;
  notes: string[];
}

export interface PretrainStartResult {
  job: string;
  run: number;
}
