// One vector per preprocessed volume: its tiles (tiles.ts) through the encoder (native-models' buildEncoder:
// the 3D ResNet with BatchNorm folded, global-average-pooled features), batched, then the mean of the tiles'
// features. Runs wherever it is created (the embed worker; benches and tests in their own thread).
import { buildEncoder, featureDim, GraphSession, type ResNetConfig, type TensorData } from '../../../native-models/index.js';
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
}

export interface VolumeEmbedding {
  vector: Float32Array<ArrayBuffer>;
  tiles: number;
}

export class VolumeEmbedder {
  readonly dims: number;
  private constructor(
    private readonly session: GraphSession,
    private readonly box: [number, number, number],
    private readonly batch: number,
    dims: number,
  ) {
    this.dims = dims;
  }

  static async create(o: EmbedderOptions): Promise<VolumeEmbedder> {
    const graph = buildEncoder(o.resnet, o.params, { spatial: o.box, prefix: '' });
    const session = await GraphSession.create(graph, {
      intraOpNumThreads: o.threads,
      executionProviders: o.executionProviders,
    });
    return new VolumeEmbedder(session, o.box, o.batch ?? 8, featureDim(o.resnet));
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
    const out = await this.session.run({ image: { dtype: 'float32', dims: [n, 1, ...this.box], data: input } }, ['embedding']);
    return out.embedding.data as Float32Array;
  }

  /** The embedding of a preprocessed cache entry (file read and CRC-checked here). */
  async embedEntry(e: PreprocessedEntry): Promise<VolumeEmbedding> {
    const { data, header } = readCacheFile(e.file);
    return this.embedVolume(data, header.dims, header.scale, header.offset);
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
