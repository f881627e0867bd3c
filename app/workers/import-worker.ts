// Worker-thread entry of the import pool (a TaskPool: platform/task-pool.ts's serveTasks answers each task).
//   parse:  a batch of files -> ParsedFile[] (headers only; never throws per file)
//   assemble: one series' header JSONs -> {assembly, duplicates}: identical copies of a file at other paths
//           dropped (duplicate-copies.ts), then the imaging core's assembleSeries
//   load-slices: read a slice range of a big series into a shared volume (several workers, one series)
//   thumbs: load one series' volume (or take the shared one) and write its three thumbnails into the cache;
//           when a DICOM file cannot be decoded: {undecodable: [{path, message}]} (every bad file of the series)
//   export: load one series' volume and write it as NIfTI (import --export-nifti, like dcm2niix)
import {
  assembleSeries,
  DicomParseError,
  loadVolumeSlices,
  PixelDecodeError,
  readFileFromDiskSync,
  undecodableFiles,
  volumeFromSlices,
  VoxelArena,
  writeNifti,
  writeNiftiSync,
  type Assembly,
  type DicomHeader,
  type UndecodableFile,
  type Volume,
  type VolumePlan,
} from '../services/imaging/index.js';
import { dropDuplicateCopies, type DuplicateCopy } from '../services/import/duplicate-copies.js';
import { parseFile, toWire, type FileToParse } from '../services/import/parse-file.js';
import { seriesUidOf } from '../services/import/series-record.js';
import { loadSeriesVolume, pickVolume, type SeriesSource } from '../services/import/series-source.js';
import { writeThumbnails, type WrittenThumb } from '../services/import/thumbnail-cache.js';
import { serveTasks } from '../platform/task-pool.js';

export type ImportTask =
  | { type: 'parse'; files: FileToParse[] }
  /** `prefer`: paths the catalogue already holds, kept over their identical copies. */
  | { type: 'assemble'; headers: string[]; prefer?: string[] }
  | { type: 'load-slices'; plan: VolumePlan; from: number; to: number; target: SharedArrayBuffer }
  | {
      type: 'thumbs';
      dataDir: string;
      seriesId: number;
      source: SeriesSource;
      thumbnails: boolean;
      exportTo?: string;
      description?: string;
      /** The series' voxels already read into shared memory by load-slices tasks (DICOM only). */
      shared?: { buffer: SharedArrayBuffer; max: number };
    }
  | { type: 'export'; source: SeriesSource; out: string; description: string };

export interface AssembleResult {
  assembly: Assembly;
  duplicates: DuplicateCopy[];
}

/** A 'thumbs' task: the thumbnails written (null when not asked), or the files of the series that cannot be decoded. */
export type ThumbsResult = { thumbs: WrittenThumb[] | null } | { undecodable: UndecodableFile[] };

/** Voxel buffers reused from one series to the next (the pool gives a worker one task at a time); let go
 * when the worker has been idle for a while, so an idle app does not hold volume-sized buffers. */
const arena = new VoxelArena();
const RELEASE_AFTER_MS = 5000;
let idle: ReturnType<typeof setTimeout> | undefined;

serveTasks<ImportTask>(async (task) => {
  if (idle) clearTimeout(idle);
  arena.reset();
  try {
    return await run(task);
  } finally {
    arena.reset();
    idle = setTimeout(() => arena.release(), RELEASE_AFTER_MS);
    idle.unref();
  }
});

async function run(task: ImportTask): Promise<unknown> {
  switch (task.type) {
    case 'parse':
      return task.files.map((f) => toWire(parseFile(f), seriesUidOf));
    case 'assemble': {
      const { kept, duplicates } = dropDuplicateCopies(
        task.headers.map((h) => JSON.parse(h) as DicomHeader),
        new Set(task.prefer ?? []),
      );
      return { assembly: assembleSeries(kept), duplicates } satisfies AssembleResult;
    }
    case 'load-slices':
      return loadVolumeSlices(task.plan, task.from, task.to, task.target);
    case 'thumbs': {
      // One load serves the thumbnails and, when asked, the NIfTI export of the whole series.
      let all: Volume;
      try {
        all =
          task.shared && task.source.kind === 'dicom'
            ? volumeFromSlices(task.source.plan, task.shared.buffer, task.shared.max)
            : await loadSeriesVolume(task.source, task.exportTo ? undefined : 0, arena);
      } catch (err) {
        // A file that cannot give its pixels: find every such file of the series (the import leaves them
        // out and keeps the rest when it still stacks).
        if (task.source.kind === 'dicom' && (err instanceof PixelDecodeError || err instanceof DicomParseError || isFsError(err))) {
          arena.reset();
          const undecodable = await undecodableFiles(task.source.plan, readFileFromDiskSync);
          if (undecodable.length) return { undecodable } satisfies ThumbsResult;
        }
        throw err;
      }
      const thumbs = task.thumbnails ? writeThumbnails(task.dataDir, task.seriesId, pickVolume(all, 0)) : null;
      if (task.exportTo) await write(all, task.exportTo, (task.description ?? '').slice(0, 79));
      return { thumbs } satisfies ThumbsResult;
    }
    case 'export': {
      const vol = await loadSeriesVolume(task.source, undefined, arena);
      await write(vol, task.out, task.description.slice(0, 79));
      return { out: task.out, dims: vol.dims };
    }
    default:
      throw new Error(`unknown task ${(task as { type: string }).type}`);
  }
}

function isFsError(err: unknown): boolean {
  return typeof (err as NodeJS.ErrnoException)?.code === 'string' && typeof (err as NodeJS.ErrnoException).syscall === 'string';
}

/** .nii synchronously (a worker thread of our own; no libuv pool round trips), .nii.gz streamed. */
async function write(volume: Volume, out: string, description: string): Promise<void> {
  if (/\.nii$/i.test(out)) writeNiftiSync(volume, out, { description });
  else await writeNifti(volume, out, { description });
}
