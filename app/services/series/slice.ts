// series:slice and series:voxel: one slice of an assembled volume for the slice viewer (real values, packed as
// int16 when they are integers that fit), with the mapping from its pixels to voxels and RAS mm, and the
// volume's percentiles for window presets; one voxel's value and position for the readout and the CLI.
import type { Db } from '../catalogue/database.js';
import type { SeriesAxis, SeriesSlice, SeriesVoxel } from '../../contract/types.js';
import { ValidationError } from '../../contract/errors.js';
import { pixelOfVoxel, rasOfVoxel } from '../../contract/slice-geometry.js';
import { extractSlice, percentileWindow, sliceToVoxel, type Volume } from '../imaging/index.js';
import { sourceVolumeCount } from '../import/index.js';
import { seriesRowById, seriesSource } from './queries.js';
import { cachedVolume } from './volume-cache.js';

/** The percentiles a slice carries: the MR window presets' bounds (0.1-99.9, 1-99, 5-95). */
const PERCENTILE_PAIRS: [number, number][] = [
  [0.1, 99.9],
  [1, 99],
  [5, 95],
];
const percentileMemo = new WeakMap<Volume, { p: number; value: number }[]>();

/** The volume's percentiles, by the imaging core's percentileWindow (one per volume object: scrolling is free). */
export function volumePercentiles(vol: Volume): { p: number; value: number }[] {
  let out = percentileMemo.get(vol);
  if (!out) {
    out = PERCENTILE_PAIRS.flatMap(([lo, hi]) => {
      const w = percentileWindow(vol, lo, hi);
      return [
        { p: lo, value: w.low },
        { p: hi, value: w.high },
      ];
    }).sort((a, b) => a.p - b.p);
    percentileMemo.set(vol, out);
  }
  return out;
}

async function seriesVolume(db: Db, id: number, volume: number): Promise<{ vol: Volume; count: number; header: SeriesSlice['window'] | null }> {
  const r = seriesRowById(db, id);
  const src = seriesSource(r);
  const count = sourceVolumeCount(src);
  if (volume >= count) throw new ValidationError(`series ${id} has ${count} volume(s); volume ${volume + 1} (index ${volume}) does not exist`);
  const vol = await cachedVolume(id, r.updated_at, src, volume);
  const header =
    r.window_center !== null && r.window_width !== null && r.window_width > 0 ? { center: r.window_center, width: r.window_width } : null;
  return { vol, count, header };
}

export async function seriesSlice(db: Db, id: number, axis: SeriesAxis, index: number | undefined, volume: number): Promise<SeriesSlice> {
  const { vol, count, header } = await seriesVolume(db, id, volume);
  const n = extractSlice(vol, axis, 0).count;
  const i = index ?? Math.floor(n / 2);
  if (i >= n) throw new ValidationError(`series ${id} has ${n} ${axis} slices; index ${i} is out of range`);
  const img = extractSlice(vol, axis, i);
  let min = Infinity;
  let max = -Infinity;
  let integral = true;
  for (let k = 0; k < img.data.length; k++) {
    const v = img.data[k];
    if (v < min) min = v;
    if (v > max) max = v;
    if (integral && v !== Math.round(v)) integral = false;
  }
  if (!img.data.length) min = max = 0;
  const asInt16 = integral && min >= -32768 && max <= 32767;
  const raw = asInt16 ? Int16Array.from(img.data) : img.data;
  const percentiles = volumePercentiles(vol);
  const at = (p: number) => percentiles.find((x) => x.p === p)?.value ?? 0;
  return {
    axis,
    index: i,
    count: img.count,
    volume,
    volumeCount: count,
    width: img.width,
    height: img.height,
    dtype: asInt16 ? 'int16' : 'float32',
    data: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64'),
    min,
    max,
    pixelSize: img.pixelSize,
    window: header ?? { center: (at(1) + at(99)) / 2, width: Math.max(at(99) - at(1), 1e-6) },
    percentiles,
    sliceToVoxel: sliceToVoxel(vol, axis),
    affine: vol.affine.map((row) => [...row]),
  };
}

export async function seriesVoxel(db: Db, id: number, voxel: [number, number, number], volume: number): Promise<SeriesVoxel> {
  const { vol } = await seriesVolume(db, id, volume);
  const [i, j, k] = voxel;
  const [nx, ny, nz] = vol.dims;
  if (i >= nx || j >= ny || k >= nz) {
    throw new ValidationError(`series ${id} is ${nx}x${ny}x${nz} voxels; voxel [${i}, ${j}, ${k}] is outside it`);
  }
  // Read through the axial slice that holds it, so the value is exactly what the viewer shows (extractSlice:
  // rescale applied, luminance for colour).
  const [c, r, s] = pixelOfVoxel(sliceToVoxel(vol, 'axial'), voxel);
  const img = extractSlice(vol, 'axial', s);
  const value = img.data[r * img.width + c];
  return { id, volume, voxel: [i, j, k], value, ras: rasOfVoxel(vol.affine, voxel) };
}
