// Plain data types of encoder export (export:* calls, the 'export' job, the model card). No behaviour, no imports.

export type ExportFormat = 'onnx' | 'safetensors' | 'card';
/** State-dict key names of the safetensors: MONAI's ResNet, or MedicalNet's (the same under `module.`). */
export type ExportKeyStyle = 'monai' | 'medicalnet';

/** load: reading the run's checkpoint; check: keys and shapes against the architecture; finish: the rename. */
export type ExportStep = 'load' | 'check' | 'safetensors' | 'onnx' | 'verify' | 'card' | 'finish';

export interface ExportProgressDetail {
  run: number;
  step: ExportStep;
  formats: ExportFormat[];
  keys: ExportKeyStyle;
}

export interface ExportStartResult {
  /** Job id (kind 'export'): follow it with job-progress; its result is an ExportRecord. */
  job: string;
  run: number;
}

/** One file of an export, as the model card lists it. */
export interface ExportedFile {
  name: string;
  /** 'onnx' | 'safetensors' | 'model-card' */
  format: string;
  bytes: number;
  sha256: string;
  /** What it holds, in words. */
  content: string;
}

/** `monai.networks.nets.ResNet(...)` for the encoder: keyword arguments and the call as Python source. */
export interface MonaiConstructor {
  module: 'monai.networks.nets.ResNet';
  kwargs: Record<string, boolean | number | string | number[]>;
  /** `ResNet(block='basic', layers=[1, 1, 1, 1], ...)` */
  call: string;
}

/** What the encoder expects as input (the run's preprocessing). */
export interface ExportInput {
  /** Voxels along the tensor's D, H, W axes. */
  box: [number, number, number];
  /** Voxel size in mm along D, H, W. */
  spacingMm: [number, number, number];
  /** Orientation the volumes were brought to before cropping, e.g. 'RAS'. */
  orientation: string;
  /** What each of the tensor's axes D, H, W runs along, in words. */
  axes: string;
  /** Intensity normalisation settings and formulas, JSON-safe. */
  intensity: Record<string, unknown>;
}

export interface ExportRunInfo {
  id: number;
  name: string;
  state: string;
  step: number;
  totalSteps: number;
  createdAt: string;
  endedAt: string | null;
}

/** What a run trained on, as counts and fingerprints (no names, ids or paths). */
export interface ExportDataSummary {
  /** Series the run trained on, and series of its cohort it skipped (unusable). */
  series: number;
  skipped: number;
  /** Fingerprint of the preprocessed training data (settings and each series' source and voxels). */
  fingerprint: string;
  /** The cohort's member count and content fingerprint. */
  cohort: { members: number; fingerprint: string } | null;
}

export interface EvaluationFigure {
  metric: string;
  value: number;
  label?: string;
  /** The same figure for a randomly initialised encoder with BN statistics re-estimated on the same data. */
  baseline?: number;
  detail?: string;
}

export interface ModelCard {
  schema: 'voxelbase-model-card/1';
  name: string;
  createdAt: string;
  voxelbaseVersion: string;
  licence: string;
  run: ExportRunInfo & { checkpoint: { step: number; file: string } };
  architecture: {
    family: string;
    depth: number | null;
    block: string;
    layers: number[];
    blockInplanes: number[];
    inChannels: number;
    conv1: { kernel: number; stride: number };
    maxPool: boolean;
    shortcutType: string;
    biasDownsample: boolean;
    norm: string;
    featureDim: number;
    parameters: number;
    /** null when MONAI's ResNet cannot express the encoder (GroupNorm + weight standardisation). */
    monai: MonaiConstructor | null;
  };
  input: ExportInput & { tensor: string; dtype: 'float32' };
  output: { name: string; shape: [string, number]; meaning: string };
  training: Record<string, unknown>;
  compute: { provider: string; hardware: { cpu: string; gpu?: string; threads: number } };
  /** The training data as counts and fingerprints only. */
  data: ExportDataSummary | null;
  evaluation: EvaluationFigure[];
  keys: ExportKeyStyle;
  files: ExportedFile[];
  /** The ONNX model against the unfolded encoder on seeded inputs (null without ONNX). */
  verification: { maxRelDiff: number; batch: number; input: string } | null;
  /** Python that loads the encoder weights (MONAI + safetensors), one line per entry. */
  loading: string[];
  notes: string[];
}

/** An export on disk. */
export interface ExportRecord {
  /** Id of an export kept in the data folder (downloadable as a zip in web mode); null for one written to a folder
   *  of the user's choice. */
  id: string | null;
  /** Folder name (the zip's name too). */
  name: string;
  /** Absolute folder path. */
  dir: string;
  run: number;
  step: number;
  formats: ExportFormat[];
  /** Key names of the safetensors (null when the folder has no model card to say). */
  keys: ExportKeyStyle | null;
  /** Every file with its size (the card's own files included). */
  files: { name: string; bytes: number; path: string }[];
  /** The model card (in a job's result also when it was not written as a file; from model-card.json otherwise). */
  card: ModelCard | null;
  createdAt: string;
}
