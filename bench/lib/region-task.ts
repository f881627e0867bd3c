// The region-retrieval task of the pretrain quality bench (DESIGN §5): crops of real preprocessed brain MR volumes,
// each labelled by its volume and its region (the cell of a G x G x G grid over the volume's foreground box that
// holds the crop's centre). Per (volume, region): `trainPer` labelled gallery crops and `evalPer` held-out query
// crops, at seeded random centres inside the cell; every query centre is at least `minGap` voxels (Chebyshev) from
// every gallery centre of its cell, so no query is a gallery crop again. Crops are cut from the preprocessed volume
// (canonical RAS at the run's spacing, intensity-normalised) without augmentation, in the loader's layout
// [1, d, h, w] (x fastest). An encoder is judged by kNN-1 accuracy and recall@5 of the queries against the gallery
// (app/services/evaluate retrievalMetrics with its split), on the global-average-pooled features (BYOL's y).
import { buildEncoder, featureDim, GraphSession, type ResNetConfig, type TensorData } from '../../native-models/index.js';
import { Random } from '../../app/services/augment/index.js';
import { readCacheFile } from '../../app/services/preprocess/index.js';
import { retrievalMetrics } from '../../app/services/evaluate/index.js';
import type { PreprocessedEntry } from '../../app/contract/types/data.js';

export interface RegionTaskOptions {
  /** Crop edge in voxels. */
  box: number;
  /** Regions per axis. */
  grid: number;
  trainPer: number;
  evalPer: number;
  seed: number;
  /** Least Chebyshev distance in voxels between a query centre and the gallery centres of its cell (default 3). */
  minGap?: number;
}

export interface RegionTask {
  box: [number, number, number];
  /** Crops [n, 1, box, box, box], x fastest. */
  crops: Float32Array;
  labels: string[];
  split: ('gallery' | 'query')[];
  count: number;
  classes: number;
}

type Vec3 = [number, number, number];

export function buildRegionTask(entries: { name: string; entry: PreprocessedEntry }[], o: RegionTaskOptions): RegionTask {
  const b = o.box;
  const voxels = b * b * b;
  const gap = o.minGap ?? 3;
  const rows: { vol: Float32Array; dims: Vec3; pad: number; start: Vec3; label: string; role: 'gallery' | 'query' }[] = [];
  entries.forEach(({ name, entry }, v) => {
    const { data, header } = readCacheFile(entry.file);
    const dims = header.dims;
    const vol = new Float32Array(data.length);
    let min = Infinity;
    for (let i = 0; i < data.length; i++) {
      vol[i] = header.offset + header.scale * data[i];
      if (vol[i] < min) min = vol[i];
    }
    const rnd = new Random(o.seed, 0x7265, v);
    for (let gz = 0; gz < o.grid; gz++) {
      for (let gy = 0; gy < o.grid; gy++) {
        for (let gx = 0; gx < o.grid; gx++) {
          const cell = [gx, gy, gz];
          const draw = (): Vec3 => cell.map((g, a) => Math.floor(((g + rnd.uniform()) * dims[a]) / o.grid)) as Vec3;
          const label = `${name}:${gx}${gy}${gz}`;
          const gallery: Vec3[] = [];
          for (let i = 0; i < o.trainPer; i++) gallery.push(draw());
          const queries: Vec3[] = [];
          for (let tries = 0; queries.length < o.evalPer && tries < 10_000; tries++) {
            const c = draw();
            if (gallery.every((g) => Math.max(...g.map((v, a) => Math.abs(v - c[a]))) >= gap)) queries.push(c);
          }
          if (queries.length < o.evalPer) throw new Error(`region ${label}: the cell is too small for ${o.evalPer} queries ${gap} voxels from the gallery`);
          const start = (c: Vec3) => c.map((v, a) => Math.min(Math.max(0, v - (b >> 1)), Math.max(0, dims[a] - b))) as Vec3;
          for (const c of gallery) rows.push({ vol, dims, pad: min, start: start(c), label, role: 'gallery' });
          for (const c of queries) rows.push({ vol, dims, pad: min, start: start(c), label, role: 'query' });
        }
      }
    }
  });
  const crops = new Float32Array(rows.length * voxels);
  rows.forEach((r, n) => {
    const out = crops.subarray(n * voxels, (n + 1) * voxels);
    const [nx, ny, nz] = r.dims;
    for (let z = 0; z < b; z++) {
      for (let y = 0; y < b; y++) {
        for (let x = 0; x < b; x++) {
          const sx = r.start[0] + x, sy = r.start[1] + y, sz = r.start[2] + z;
          out[(z * b + y) * b + x] = sx < nx && sy < ny && sz < nz ? r.vol[(sz * ny + sy) * nx + sx] : r.pad;
        }
      }
    }
  });
  return {
    box: [b, b, b],
    crops,
    labels: rows.map((r) => r.label),
    split: rows.map((r) => r.role),
    count: rows.length,
    classes: new Set(rows.map((r) => r.label)).size,
  };
}

/** Batches of crops (for BN re-estimation). */
export function* cropBatches(task: RegionTask, rows: number[], batch: number): Generator<TensorData> {
  const v = task.box[0] * task.box[1] * task.box[2];
  for (let i = 0; i + batch <= rows.length; i += batch) {
    const data = new Float32Array(batch * v);
    rows.slice(i, i + batch).forEach((r, j) => data.set(task.crops.subarray(r * v, (r + 1) * v), j * v));
    yield { dtype: 'float32', dims: [batch, 1, ...task.box], data };
  }
}

/** Features of every crop under an encoder (MONAI-keyed tensors, BN in inference form). */
export async function embedCrops(task: RegionTask, resnet: ResNetConfig, params: Record<string, TensorData>, threads: number): Promise<{ dims: number; vectors: Float32Array }> {
  const dims = featureDim(resnet);
  const session = await GraphSession.create(buildEncoder(resnet, params, { spatial: task.box, prefix: '' }), { intraOpNumThreads: threads });
  const v = task.box[0] * task.box[1] * task.box[2];
  const vectors = new Float32Array(task.count * dims);
  try {
    const batch = 16;
    for (let i = 0; i < task.count; i += batch) {
      const n = Math.min(batch, task.count - i);
      const out = await session.run({ image: { dtype: 'float32', dims: [n, 1, ...task.box], data: task.crops.subarray(i * v, (i + n) * v) } }, ['embedding']);
      vectors.set(out.embedding.data as Float32Array, i * dims);
    }
  } finally {
    await session.release();
  }
  return { dims, vectors };
}

export interface TaskScore {
  knn1: number;
  recall5: number;
  queries: number;
  classes: number;
}

export function scoreEmbedding(task: RegionTask, e: { dims: number; vectors: Float32Array }): TaskScore {
  const m = retrievalMetrics(e.dims, e.vectors, task.labels, { split: task.split, knnK: [1], recallK: [5] });
  return { knn1: m.knn[1], recall5: m.recall[5], queries: m.queries, classes: m.classes };
}
