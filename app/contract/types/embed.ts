// Plain data types of embeddings (app/services/embed): the encoders that made them and the embed job.
import type { PreprocessFailure, PreprocessSettings } from './data.js';

/** An encoder that embeddings were made with (one per run checkpoint, or per random initialisation). */
export interface EmbeddingModel {
  id: number;
  /** Identity: hash of architecture, weights, input box and preprocessing settings. */
  key: string;
  name: string;
  source: 'run' | 'random';
  runId: number | null;
  step: number | null;
  seed: number | null;
  /** e.g. 'resnet10 (widths 64-128-256-512)'. */
  architecture: string;
  /** Input box [d, h, w] in voxels at the settings' spacing. */
  box: [number, number, number];
  settings: PreprocessSettings;
  settingsKey: string;
  /** Embedding size (the encoder's pooled feature size). */
  dims: number;
  /** How its BatchNorm statistics were obtained: from training, the initial values, or re-estimated on data. */
  bn: 'trained' | 'init' | 're-estimated';
  createdAt: string;
  /** Series embedded with it. */
  embeddings: number;
}

export type EmbedStep = 'preprocess' | 'embed';

export interface EmbedProgressDetail {
  model: number;
  /** Series embedded now, skipped as unchanged, failed, out of total. */
  embedded: number;
  unchanged: number;
  failed: number;
  total: number;
  /** Tiles run through the encoder so far. */
  tiles: number;
}

export interface EmbedResult {
  model: EmbeddingModel;
  embedded: number;
  unchanged: number;
  /** Series that could not be embedded (not usable, files gone, ...), with the reason. */
  failed: PreprocessFailure[];
  tiles: number;
  seconds: number;
}

export interface EmbedStartResult {
  job: string;
  model: EmbeddingModel;
}
