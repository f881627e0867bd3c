// Where a catalogued series' voxels come from (stored as JSON in series.plan), and loading them.
// DICOM: the imaging core's VolumePlan (slices in order, affine); NIfTI: the file and its volume count.
// Used by the import (thumbnails), the slice viewer and `volume export`.
import { isMainThread } from 'node:worker_threads';
import {
  loadVolume,
  readFileFromDiskSync,
  readNifti,
  type NiftiHeaderInfo,
  type Volume,
  type VolumePlan,
  type VoxelArena,
} from '../imaging/index.js';

export type SeriesSource =
  | { kind: 'dicom'; plan: VolumePlan }
  | { kind: 'nifti'; path: string; volumeCount: number; header: NiftiHeaderInfo };

/**
 * The volume of a series. For 4-D data `t` picks one 3-D volume (NIfTI reads only that one);
 * `t` undefined keeps every volume (DICOM 4-D plans load all of them). With `arena` (import workers),
 * DICOM voxels go into its reused buffers: the volume is valid until the arena's next reset().
 */
export async function loadSeriesVolume(src: SeriesSource, t?: number, arena?: VoxelArena): Promise<Volume> {
  if (src.kind === 'nifti') {
    if (t === undefined && src.volumeCount > 1) return stackVolumes(await readNifti(src.path, { applyScaling: false }));
    const index = t ?? 0;
    const vols = await readNifti(src.path, { volumes: [index], applyScaling: false });
    if (!vols.length) throw new RangeError(`${src.path}: no volume ${index}`);
    return vols[0];
  }
  // In a worker thread, read files synchronously: async reads queue on libuv's 4-thread pool, shared by
  // the whole process (every worker and the main thread), for no gain inside a thread of our own.
  return isMainThread ? loadVolume(src.plan, undefined, { arena }) : loadVolume(src.plan, readFileFromDiskSync, { arena });
}

/** Concatenates the 3-D volumes of one file into a 4-D volume (same type and geometry). */
export function stackVolumes(vols: Volume[]): Volume {
  const first = vols[0];
  if (vols.length === 1) return first;
  const n = first.data.length;
  const Ctor = first.data.constructor as new (len: number) => Volume['data'];
  const data = new Ctor(n * vols.length);
  vols.forEach((v, t) => (data as unknown as { set(a: ArrayLike<number>, o: number): void }).set(v.data as ArrayLike<number>, t * n));
  const { dims, data: _d, ...rest } = first as Volume & { index?: number; count?: number; header?: unknown };
  void _d;
  void dims;
  return { ...rest, dims: [...first.dims.slice(0, 3), vols.length], data } as Volume;
}

/** Number of 3-D volumes a series holds. */
export function sourceVolumeCount(src: SeriesSource): number {
  if (src.kind === 'nifti') return src.volumeCount;
  return src.plan.dims.length > 3 ? Math.max(1, src.plan.dims[3]) : 1;
}

/** One 3-D volume out of a 4-D one (a view when it is 3-D already). */
export function pickVolume(v: Volume, t: number): Volume {
  if (v.dims.length <= 3 || (v.dims[3] ?? 1) <= 1) return v;
  const [nx, ny, nz] = v.dims;
  const n = nx * ny * nz * v.components;
  if (t < 0 || t >= v.dims[3]) throw new RangeError(`volume index ${t} out of range 0..${v.dims[3] - 1}`);
  const data = v.data.subarray(t * n, (t + 1) * n) as Volume['data'];
  return { ...v, dims: [nx, ny, nz], data };
}
