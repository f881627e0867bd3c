// One batch of the loader (runs in a loader worker, or in the loader's own thread with workers: 0):
// for each sample, the entry from SampleOrder, the two views' draws, one read of the z-slab both crops
// touch from the cache file, and both views rendered straight into the batch arrays [B, 1, d, h, w].
import fs from 'node:fs';
import type { AugmentConfig, PreprocessedEntry } from '../../contract/types/data.js';
import { LoaderError } from '../../contract/errors.js';
import { cropSlabRange, drawPair, renderView, type Box3 } from '../augment/index.js';
import { SampleOrder } from './sample-order.js';

export interface BatchSpec {
  entries: PreprocessedEntry[];
  batch: number;
  box: Box3;
  seed: number;
  augment: AugmentConfig;
}

export interface BatchPayload {
  view1: Float32Array<ArrayBuffer>;
  view2: Float32Array<ArrayBuffer>;
  seriesIds: number[];
}

export class BatchMaker {
  private readonly order: SampleOrder;

  constructor(private readonly spec: BatchSpec) {
    this.order = new SampleOrder(spec.seed, spec.entries.length);
  }

  make(k: number): BatchPayload {
    const { entries, batch, box, seed, augment } = this.spec;
    const voxels = box[0] * box[1] * box[2];
    const view1 = new Float32Array(batch * voxels);
    const view2 = new Float32Array(batch * voxels);
    const seriesIds: number[] = [];
    for (let i = 0; i < batch; i++) {
      const s = k * batch + i;
      const e = entries[this.order.entryOf(s)];
      seriesIds.push(e.seriesId);
      const [d1, d2] = drawPair(seed, s, e.dims, augment, box);
      const r1 = cropSlabRange(d1.crop, e.dims[2]);
      const r2 = cropSlabRange(d2.crop, e.dims[2]);
      const z0 = Math.min(r1[0], r2[0]);
      const z1 = Math.max(r1[1], r2[1]);
      const slab = { data: readSlab(e, z0, z1), dims: e.dims, z0, scale: e.scale, offset: e.offset };
      renderView(slab, d1, box, seed, s, 1, view1.subarray(i * voxels, (i + 1) * voxels));
      renderView(slab, d2, box, seed, s, 2, view2.subarray(i * voxels, (i + 1) * voxels));
    }
    return { view1, view2, seriesIds };
  }
}

/** Slices [z0, z1) of an entry's voxels (one positioned read). */
export function readSlab(e: PreprocessedEntry, z0: number, z1: number): Int16Array {
  const plane = e.dims[0] * e.dims[1];
  const bytes = (z1 - z0) * plane * 2;
  const buf = new Uint8Array(bytes);
  let fd: number;
  try {
    fd = fs.openSync(e.file, 'r');
  } catch (err) {
    throw new LoaderError(`series ${e.seriesId}: cannot open its cache file ${e.file} (${(err as Error).message}); preprocess the cohort again`, { cause: err });
  }
  try {
    const n = fs.readSync(fd, buf, 0, bytes, e.dataOffset + z0 * plane * 2);
    if (n !== bytes) throw new LoaderError(`series ${e.seriesId}: cache file ${e.file} is truncated (slices ${z0}-${z1 - 1} not all there); preprocess the cohort again`);
  } finally {
    fs.closeSync(fd);
  }
  return new Int16Array(buf.buffer);
}
