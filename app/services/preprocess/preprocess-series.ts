// One series into the cache (runs in a preprocess worker): checks the source files against the catalogue,
// reuses a cache file whose settings key and source fingerprint match and whose voxels pass their CRC, and
// otherwise loads the volume through the imaging core, runs the recipe (preprocess-volume.ts) and writes
// the cache file whole-or-absent. A 4-D series uses volume `settings.volume` (default 0, the first).
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import {
  loadVolume,
  readFileFromDiskSync,
  readNifti,
  scaledData,
  type Affine,
  type Volume,
  type VolumePlan,
} from '../imaging/index.js';
import type { PreprocessSettings, PreprocessedEntry } from '../../contract/types/data.js';
import { CacheFileError, PreprocessError, SourceFilesMissingError, VoxelbaseError } from '../../contract/errors.js';
import { quantize, readCacheHeader, verifyCacheFile, writeCacheFile, type CacheFileInfo } from './cache-file.js';
import { intensityModeFor, preprocessVolume } from './preprocess-volume.js';
import type { SeriesInput } from './series-input.js';
import type { Dims3 } from './output-grid.js';

export interface PreprocessTask {
  input: SeriesInput;
  settings: PreprocessSettings;
  settingsKey: string;
  /** Cache file of this (series, settings). */
  file: string;
}

export interface PreprocessTaskResult {
  entry: PreprocessedEntry;
  reused: boolean;
  /** Source bytes read (0 when reused). */
  bytesRead: number;
  /** Why an existing cache file was not used, when one was there. */
  replaced?: string;
}

/** Hash of the series' plan and its files' current sizes and mtimes; throws when a file is gone or resized. */
export function sourceFingerprint(input: SeriesInput): { fingerprint: string; bytes: number } {
  const h = createHash('sha256').update(input.plan);
  let bytes = 0;
  const gone: string[] = [];
  for (const [path, size] of input.files) {
    let st: fs.Stats;
    try {
      st = fs.statSync(path);
    } catch {
      gone.push(path);
      continue;
    }
    if (st.size !== size) {
      throw new SourceFilesMissingError(`series ${input.seriesId}: ${path} changed since import (${st.size} bytes, catalogued ${size}): import its folder again`);
    }
    bytes += st.size;
    h.update(`\n${path}\t${st.size}\t${st.mtimeMs}`);
  }
  if (gone.length) {
    throw new SourceFilesMissingError(
      `series ${input.seriesId}: ${gone.length} of its ${input.files.length} source files are gone since import (e.g. ${gone[0]}): restore them or import the folder again`,
    );
  }
  return { fingerprint: h.digest('hex'), bytes };
}

export async function preprocessSeries(task: PreprocessTask): Promise<PreprocessTaskResult> {
  const { input, settings, settingsKey, file } = task;
  const { fingerprint, bytes } = sourceFingerprint(input);
  let replaced: string | undefined;
  if (fs.existsSync(file)) {
    try {
      const head = readCacheHeader(file).header;
      if (head.seriesId !== input.seriesId || head.settingsKey !== settingsKey) replaced = 'made for another series or settings';
      else if (head.fingerprint !== fingerprint) replaced = 'source files changed';
      else return { entry: entryOf(input, file, verifyCacheFile(file)), reused: true, bytesRead: 0 };
    } catch (e) {
      if (!(e instanceof CacheFileError)) throw e;
      replaced = e.message;
    }
  }
  const name = `series ${input.seriesId}`;
  let volume: Volume;
  try {
    volume = await loadSource(input, settings.volume);
  } catch (e) {
    if (e instanceof VoxelbaseError) throw new PreprocessError(`${name}: ${e.message}`, { cause: e });
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new SourceFilesMissingError(`${name}: ${(e as Error).message}`, { cause: e });
    throw new PreprocessError(`${name}: cannot load the volume (${(e as Error).message})`, { cause: e });
  }
  const dims = volume.dims.slice(0, 3) as Dims3;
  if (dims.some((d) => d < 2)) throw new PreprocessError(`${name} is 2-D (${dims.join(' x ')} voxels): training needs a 3-D volume`);
  const real = scaledData(volume);
  const mode = intensityModeFor(input.modality, settings);
  const out = preprocessVolume(real, dims, volume.affine, mode, settings, name);
  const q = quantize(out.values);
  const info = writeCacheFile(
    file,
    {
      seriesId: input.seriesId,
      settingsKey,
      settings,
      fingerprint,
      modality: input.modality,
      intensity: out.stats,
      dims: out.dims,
      spacing: [...settings.spacing],
      affine: out.affine,
      scale: q.scale,
      offset: q.offset,
      source: { dims: [...volume.dims], spacing: [...volume.spacing], volume: settings.volume, volumeCount: input.volumeCount },
      grid: { dims: out.grid.dims, box: out.box },
      createdAt: new Date().toISOString(),
    },
    q.data,
  );
  return { entry: entryOf(input, file, info), reused: false, bytesRead: bytes, replaced };
}

/** The 3-D volume `t` of a series (real values via scl fields). */
async function loadSource(input: SeriesInput, t: number): Promise<Volume> {
  if (t >= input.volumeCount) throw new PreprocessError(`series ${input.seriesId} has ${input.volumeCount} volume(s); volume ${t} does not exist`);
  const src = JSON.parse(input.plan) as { kind: 'dicom'; plan: VolumePlan } | { kind: 'nifti'; path: string };
  if (src.kind === 'nifti') {
    const [v] = await readNifti(src.path, { volumes: [t], applyScaling: false });
    return v;
  }
  const all = await loadVolume(src.plan, readFileFromDiskSync);
  if (all.dims.length <= 3 || (all.dims[3] ?? 1) <= 1) return all;
  const [nx, ny, nz] = all.dims;
  const n = nx * ny * nz * all.components;
  return { ...all, dims: [nx, ny, nz], data: all.data.subarray(t * n, (t + 1) * n) as Volume['data'] };
}

function entryOf(input: SeriesInput, file: string, info: CacheFileInfo): PreprocessedEntry {
  const h = info.header;
  return {
    seriesId: input.seriesId,
    file,
    dims: h.dims,
    spacing: h.spacing,
    affine: h.affine as Affine,
    scale: h.scale,
    offset: h.offset,
    dataOffset: info.dataOffset,
    modality: h.modality,
    intensity: h.intensity.mode,
    settingsKey: h.settingsKey,
  };
}
