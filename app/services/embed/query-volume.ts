// The volume of a search query that is not in the catalogue (a file dropped on the Search screen, uploaded in the
// web mode, or named to `voxelbase search FILE`): a NIfTI file (.nii, .nii.gz), one DICOM file (a multi-frame
// series or an enhanced object), a folder of DICOM files, or a zip of a DICOM series. DICOM goes through the
// imaging core as an import would (headers, dcm2niix's assembly rules, pixel decoding) but in memory: nothing is
// catalogued or cached. When the files hold several volumes, the usable one with the most slices is taken and
// the choice is said in `description`.
import fs from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import {
  assembleSeries,
  isNiftiPath,
  loadVolume,
  looksLikeDicom,
  parseDicomHeader,
  readNifti,
  scaledData,
  type Affine,
  type DicomHeader,
  type Volume,
  type VolumePlan,
} from '../imaging/index.js';
import { EmbedError } from '../../contract/errors.js';

export interface QueryVolume {
  /** Real values (x fastest), one 3-D volume. */
  real: Float32Array;
  dims: [number, number, number];
  affine: Affine;
  /** DICOM Modality ('' for NIfTI): picks CT's HU window under the 'auto' intensity setting. */
  modality: string;
  /** What was read, in words (the file name; for DICOM the series and slice count). */
  description: string;
}

export interface QueryLimits {
  /** DICOM files read from a folder or a zip (default 5000). */
  maxFiles?: number;
  /** Bytes of DICOM read from a folder, or unpacked from a zip (default 2 GiB). */
  maxBytes?: number;
}

const MAX_FILES = 5000;
const MAX_BYTES = 2 * 1024 ** 3;
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/** Volume `volume` (0-based, of a 4-D series) of the query at `file`. Throws EmbedError naming the file. */
export async function readQueryVolume(file: string, volume = 0, limits: QueryLimits = {}): Promise<QueryVolume> {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    throw new EmbedError(`${file}: no such file or folder`);
  }
  const name = path.basename(file);
  if (st.isDirectory()) return fromDicom(readFolder(file, limits), volume, `${name}/`);
  if (!st.isFile()) throw new EmbedError(`${file}: not a file`);
  if (isNiftiPath(file)) return fromNifti(file, volume);
  const head = readHead(file);
  if (ZIP_MAGIC.every((b, i) => head[i] === b)) return fromDicom(readZip(file, limits), volume, name);
  if (!looksLikeDicom(head)) {
    throw new EmbedError(`${file}: not a NIfTI file (.nii, .nii.gz), a DICOM file, a folder of DICOM files or a zip of a DICOM series`);
  }
  return fromDicom(new Map([[name, new Uint8Array(fs.readFileSync(file))]]), volume, name);
}

function readHead(file: string): Uint8Array {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return new Uint8Array(buf.buffer, buf.byteOffset, n);
  } finally {
    fs.closeSync(fd);
  }
}

async function fromNifti(file: string, t: number): Promise<QueryVolume> {
  let v: Volume;
  try {
    [v] = await readNifti(file, { volumes: [t], applyScaling: false });
  } catch (e) {
    throw new EmbedError(`${file}: cannot be read as a volume (${(e as Error).message})`, { cause: e });
  }
  if (!v) throw new EmbedError(`${file} has no volume ${t + 1}`);
  const dims = v.dims.slice(0, 3) as [number, number, number];
  check3d(file, dims);
  return { real: scaledData(v), dims, affine: v.affine, modality: '', description: path.basename(file) };
}

/** Every regular file under `dir` (depth-first, names sorted), as name -> bytes, within the limits. */
function readFolder(dir: string, limits: QueryLimits): Map<string, Uint8Array> {
  const maxFiles = limits.maxFiles ?? MAX_FILES;
  const maxBytes = limits.maxBytes ?? MAX_BYTES;
  const out = new Map<string, Uint8Array>();
  let bytes = 0;
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        if (out.size >= maxFiles) throw new EmbedError(`${dir}: more than ${maxFiles} files; a query is one series`);
        const b = fs.readFileSync(p);
        bytes += b.length;
        if (bytes > maxBytes) throw new EmbedError(`${dir}: more than ${maxBytes} bytes of files; a query is one series`);
        out.set(path.relative(dir, p), new Uint8Array(b.buffer, b.byteOffset, b.length));
      }
    }
  };
  walk(dir);
  return out;
}

/** The zip's files as name -> bytes; sizes are checked from the directory before anything is inflated. */
function readZip(file: string, limits: QueryLimits): Map<string, Uint8Array> {
  const maxFiles = limits.maxFiles ?? MAX_FILES;
  const maxBytes = limits.maxBytes ?? MAX_BYTES;
  let files = 0;
  let bytes = 0;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(new Uint8Array(fs.readFileSync(file)), {
      filter: (f) => {
        if (f.name.endsWith('/') || /(^|\/)(__MACOSX|\.DS_Store)/.test(f.name)) return false;
        files++;
        bytes += f.originalSize;
        if (files > maxFiles) throw new EmbedError(`${file}: more than ${maxFiles} files; a query is one series`);
        if (bytes > maxBytes) throw new EmbedError(`${file}: unpacks to more than ${maxBytes} bytes; a query is one series`);
        return true;
      },
    });
  } catch (e) {
    if (e instanceof EmbedError) throw e;
    throw new EmbedError(`${file}: not a readable zip archive (${(e as Error).message})`, { cause: e });
  }
  return new Map(Object.entries(entries));
}

async function fromDicom(files: Map<string, Uint8Array>, t: number, source: string): Promise<QueryVolume> {
  const headers: DicomHeader[] = [];
  const problems: string[] = [];
  for (const [name, bytes] of files) {
    if (!looksLikeDicom(bytes)) continue;
    try {
      headers.push(parseDicomHeader(bytes, name));
    } catch (e) {
      problems.push(`${name}: ${(e as Error).message}`);
    }
  }
  if (!headers.length) {
    const why = problems.length ? ` (${problems.slice(0, 3).join('; ')})` : '';
    throw new EmbedError(`${source}: no DICOM image among its ${files.size} file(s)${why}`);
  }
  const { volumes, notStacked } = assembleSeries(headers);
  const slicesOf = (p: VolumePlan) => p.slices.length / (p.dims[3] ?? 1);
  const pick = [...volumes].sort((a, b) => Number(b.usableForLearning) - Number(a.usableForLearning) || slicesOf(b) - slicesOf(a))[0];
  if (!pick) {
    throw new EmbedError(`${source}: its DICOM files make no volume${notStacked.length ? ` (${notStacked[0].reason})` : ''}`);
  }
  if (!pick.usableForLearning) {
    const why = pick.flags.map((f) => f.reason).join('; ');
    throw new EmbedError(`${source}: series ${pick.label || pick.seriesUid} cannot be embedded${why ? ` (${why})` : ''}`);
  }
  const count = pick.dims[3] ?? 1;
  if (t >= count) throw new EmbedError(`${source}: the series has ${count} volume(s); volume ${t + 1} does not exist`);
  let v: Volume;
  try {
    v = await loadVolume(pick, async (p) => {
      const b = files.get(p);
      if (!b) throw new Error(`${p} is not in ${source}`);
      return b;
    });
  } catch (e) {
    throw new EmbedError(`${source}: the pixels of series ${pick.label || pick.seriesUid} cannot be decoded (${(e as Error).message})`, { cause: e });
  }
  const dims = v.dims.slice(0, 3) as [number, number, number];
  check3d(source, dims);
  let real = scaledData(v);
  if (count > 1) {
    const n = dims[0] * dims[1] * dims[2];
    real = real.slice(t * n, (t + 1) * n);
  }
  const others = volumes.length > 1 ? `; ${volumes.length - 1} other volume(s) in it left out` : '';
  const label = pick.label || pick.header.series.description || pick.seriesUid;
  return {
    real,
    dims,
    affine: v.affine,
    modality: pick.header.series.modality,
    description: `${source}: DICOM series “${label}” (${slicesOf(pick)} slices${count > 1 ? `, volume ${t + 1} of ${count}` : ''}${others})`,
  };
}

function check3d(name: string, dims: [number, number, number]): void {
  if (dims.some((d) => d < 2)) throw new EmbedError(`${name} is 2-D (${dims.join(' x ')} voxels): search needs a 3-D volume`);
}
