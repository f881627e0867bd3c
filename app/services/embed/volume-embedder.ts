// One vector per preprocessed volume: its tiles (tiles.ts) through the encoder (native-models' buildEncoder:
// the 3D ResNet with BatchNorm folded, global-average-pooled features), batched, then the mean of the tiles'
// features. Runs wherever it is created (the embed worker; benches and tests in their own thread).
// Full batches run on a graph with a static batch whose convs use this machine's tuned plan (native-models
// autotuning, cached in the data folder's tuning/ like the trainer's; the batched-Gemm and NCHWc formulations need
// the static shapes); the last, partial batch of a volume runs on a second graph with a symbolic batch, built (and
// its plan tuned, at the nominal batch) on first need. Both compute the same convolutions
// (tests/integration/app/services/embed/volume-embedder.test.ts).
import {
  buildEncoder,
  featureDim,
  GraphSession,
  tuneConvPlan,
  type ConvPlanner,
  type PlanReport,
  type ResNetConfig,
  type TensorData,
  type Tuning,
} from '../../../native-models/index.js';
import { readCacheFile } from '../preprocess/index.js';
import type { PreprocessedEntry } from '../../contract/types/data.js';
import { EmbedError } from '../../contract/errors.js';
import { extractTile, tileGrid, volumeMinimum } from './tiles.js';

export interface EmbedderOptions {
  resnet: ResNetConfig;
  /** Encoder tensors by MONAI key, no prefix. */
  params: Record<string, TensorData>;
  box: [number, number, number];
  threads?: number;
  /** Tiles per encoder run (default 8). */
  batch?: number;
  executionProviders?: string[];
  /** Where tuned conv plans are cached (the data folder's tuning/); without it the documented default plan. */
  tuningDir?: string;
}

export interface VolumeEmbedding {
  vector: Float32Array<ArrayBuffer>;
  tiles: number;
}

export class VolumeEmbedder {
  readonly dims: number;
  private rest: Promise<GraphSession> | undefined;
  private constructor(
    private readonly full: GraphSession,
    private readonly buildRest: () => Promise<GraphSession>,
    private readonly box: [number, number, number],
    private readonly batch: number,
    dims: number,
    /** The conv plan of the full-batch graph and how it was obtained. */
    readonly convPlan: PlanReport,
  ) {
    this.dims = dims;
  }

  static async create(o: EmbedderOptions): Promise<VolumeEmbedder> {
    const batch = o.batch ?? 8;
    const build = (b: number | undefined, convPlanner: ConvPlanner) => buildEncoder(o.resnet, o.params, { spatial: o.box, prefix: '', batch: b, convPlanner });
    const tuning: Tuning = o.tuningDir ? { cacheDir: o.tuningDir, threads: o.threads, executionProviders: o.executionProviders } : 'default';
    const sessionOpts = { intraOpNumThreads: o.threads, executionProviders: o.executionProviders };
    const { planner, report } = await tuneConvPlan((p) => build(batch, p), tuning);
    const full = await GraphSession.create(build(batch, planner), sessionOpts);
    // the symbolic graph's convs are planned at the nominal batch (native-models NOMINAL_BATCH), tuned on first need
    const rest = async () => GraphSession.create(build(undefined, (await tuneConvPlan((p) => build(undefined, p), tuning)).planner), sessionOpts);
    return new VolumeEmbedder(full, rest, o.box, batch, featureDim(o.resnet), report);
  }

  /** The embedding of a volume given as stored values (dims [x, y, z], real = offset + scale * q). */
  async embedVolume(q: Int16Array | Float32Array, dims: [number, number, number], scale: number, offset: number): Promise<VolumeEmbedding> {
    const { starts } = tileGrid(dims, this.box);
    const pad = volumeMinimum(q, scale, offset);
    const voxels = this.box[0] * this.box[1] * this.box[2];
    const sum = new Float64Array(this.dims);
    for (let b = 0; b < starts.length; b += this.batch) {
      const part = starts.slice(b, b + this.batch);
      const input = new Float32Array(part.length * voxels);
      part.forEach((s, i) => extractTile(q, dims, scale, offset, s, this.box, pad, input.subarray(i * voxels, (i + 1) * voxels)));
      const feats = await this.runTiles(input, part.length);
      for (let i = 0; i < feats.length; i++) sum[i % this.dims] += feats[i];
    }
    const vector = new Float32Array(this.dims);
    for (let j = 0; j < this.dims; j++) vector[j] = sum[j] / starts.length;
    for (let j = 0; j < this.dims; j++) {
      if (!Number.isFinite(vector[j])) throw new EmbedError(`the encoder produced a non-finite feature (${vector[j]}) at index ${j}`);
    }
    return { vector, tiles: starts.length };
  }

  /** Pooled features [n, dims] of n tiles given as [n, d, h, w] values. */
  async runTiles(input: Float32Array, n: number): Promise<Float32Array> {
    if (n > this.batch) throw new EmbedError(`${n} tiles in one run, at most ${this.batch}`);
    const session = n === this.batch ? this.full : await (this.rest ??= this.buildRest());
    const out = await session.run({ image: { dtype: 'float32', dims: [n, 1, ...this.box], data: input } }, ['embedding']);
    return out.embedding.data as Float32Array;
  }

  /** The embedding of a preprocessed cache entry (file read and CRC-checked here). */
  async embedEntry(e: PreprocessedEntry): Promise<VolumeEmbedding> {
    const { data, header } = readCacheFile(e.file);
    return this.embedVolume(data, header.dims, header.scale, header.offset);
  }

  async close(): Promise<void> {
    await this.full.release();
    if (this.rest) await (await this.rest).release();
  }
}
