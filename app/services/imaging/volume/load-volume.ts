// Decodes the pixels of a VolumePlan into a Volume laid out as dcm2niix writes it (plan.layout).
// Stored values are kept with uniform RescaleSlope/Intercept in sclSlope/sclInter, as dcm2niix keeps
// them in scl_slope/scl_inter; when rescale varies between slices/frames (PS3.3 C.7.6.16.2.9 per-frame
// Pixel Value Transformation) voxels become Float32 real values (dcm2niix also converts then).
// Like dcm2niix's nii_check16bitUnsigned, unsigned 16-bit data whose maximum fits in int16 are stored
// as int16.
import fs from 'node:fs';
import { readFile as fsReadFile } from 'node:fs/promises';
import { readDataSet, type ParsedDataSet } from '../dicom/read-dataset.js';
import { decodeFrame } from '../dicom/pixel-decoder.js';
import { num, str } from '../dicom/dataset-values.js';
import { PixelDecodeError } from '../errors.js';
import type { DicomHeader, NiftiDatatypeName, ReadFileFn, Volume, VolumePlan, VoxelArray } from '../types.js';
import { reorderVoxels } from './reorder.js';
import { allocVoxels, type VoxelArena } from './voxel-arena.js';

export interface LoadVolumeOptions {
  /** Voxel buffers come from here (reused between volumes); the volume is valid until the arena's reset(). */
  arena?: VoxelArena;
}

type VoxelCtor = { new (length: number): VoxelArray; new (buffer: ArrayBuffer, byteOffset: number, length: number): VoxelArray; BYTES_PER_ELEMENT: number };

/** Files read ahead of decoding. */
const READ_AHEAD = 8;

const defaultRead: ReadFileFn = async (p) => new Uint8Array(await fsReadFile(p));

/** Reads files synchronously (for worker threads, where async reads would only queue on libuv's pool). */
export const readFileFromDiskSync: ReadFileFn = async (p) => fs.readFileSync(p);

export function datatypeOf(data: VoxelArray, components: number): NiftiDatatypeName {
  if (components === 3) return 'rgb24';
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Uint16Array) return 'uint16';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Uint32Array) return 'uint32';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Float64Array) return 'float64';
  return 'float32';
}

export async function loadVolume(plan: VolumePlan, readFile: ReadFileFn = defaultRead, options: LoadVolumeOptions = {}): Promise<Volume> {
  const arena = options.arena;
  if (plan.slices.length === 0) throw new PixelDecodeError(plan.seriesUid, '', 'volume has no slices with pixel data');
  const components = Math.max(1, plan.components);
  const columns = plan.mosaic ? plan.mosaic.tileColumns : plan.header.columns;
  const rows = plan.mosaic ? plan.mosaic.tileRows : plan.header.rows;
  const nSlices = plan.slices.length / (plan.dims[3] ?? 1);
  const nVolumes = plan.dims[3] ?? 1;
  const sliceSize = columns * rows * components;
  const slopes = new Set(plan.slices.map((s) => `${s.rescaleSlope}/${s.rescaleIntercept}`));
  const varying = slopes.size > 1;

  // Straight from disk only when the files are read from disk anyway (a custom readFile is obeyed).
  const fromDisk = readFile === defaultRead || readFile === readFileFromDiskSync;
  const direct = varying || !fromDisk ? null : await readNativeDirect(plan, sliceSize, arena);
  if (direct) return finish(plan, direct.data, [columns, rows, nSlices], nVolumes, components, false, direct.laidOut, arena);

  // Read files ahead (a few in flight) so decoding does not wait on each read in turn.
  const order = [...new Set(plan.slices.map((s) => s.path))];
  const pending = new Map<string, Promise<Uint8Array>>();
  let next = 0;
  const fill = () => {
    while (next < order.length && pending.size < READ_AHEAD) {
      const p = order[next++];
      const read = readFile(p);
      read.catch(() => {}); // surfaced when awaited
      pending.set(p, read);
    }
  };
  const take = async (path: string): Promise<Uint8Array> => {
    fill();
    const hit = pending.get(path);
    pending.delete(path);
    const bytes = await (hit ?? readFile(path));
    fill();
    return bytes;
  };

  const cache = new Map<string, { parsed: ParsedDataSet; header: DicomHeader }>();
  async function open(path: string) {
    let hit = cache.get(path);
    if (!hit) {
      hit = openSliceFile(plan, path, await take(path));
      // Keep only the current file: frames of a multi-frame file are consecutive in most plans.
      cache.clear();
      cache.set(path, hit);
    }
    return hit;
  }

  let natural: VoxelArray | null = null;
  const mosaicCache: { key: string; data: VoxelArray | null } = { key: '', data: null };
  for (let s = 0; s < plan.slices.length; s++) {
    const ref = plan.slices[s];
    const { parsed, header } = await open(ref.path);
    let data: VoxelArray;
    if (plan.mosaic && ref.tile !== undefined) {
      const key = `${ref.path}#${ref.frame}`;
      if (mosaicCache.key !== key || !mosaicCache.data) {
        mosaicCache.data = (await decodeFrame(parsed, header, ref.frame)).data;
        mosaicCache.key = key;
      }
      data = cutTile(mosaicCache.data, plan.header.columns, plan.mosaic.tilesPerRow, columns, rows, components, ref.tile);
    } else {
      data = (await decodeFrame(parsed, header, ref.frame)).data;
    }
    if (data.length !== sliceSize) {
      throw new PixelDecodeError(ref.path, parsed.transferSyntaxUid, `frame ${ref.frame} has ${data.length} samples, expected ${sliceSize}`);
    }
    if (natural === null) {
      natural = allocVoxels((varying ? Float32Array : data.constructor) as VoxelCtor, sliceSize * plan.slices.length, arena);
    }
    const offset = s * sliceSize;
    if (varying) {
      for (let i = 0; i < sliceSize; i++) natural[offset + i] = data[i] * ref.rescaleSlope + ref.rescaleIntercept;
    } else {
      natural.set(data as never, offset);
    }
  }
  return finish(plan, natural as VoxelArray, [columns, rows, nSlices], nVolumes, components, varying, false, arena);
}

/**
 * One file of a plan parsed for decoding: its dataset, and the plan's representative header with what
 * may differ per file (transfer syntax, frame count, photometric interpretation, planar configuration).
 */
export function openSliceFile(plan: VolumePlan, path: string, bytes: Uint8Array): { parsed: ParsedDataSet; header: DicomHeader } {
  const parsed = readDataSet(bytes, path, { untilPixelData: false });
  const ds = parsed.dataSet;
  const header: DicomHeader = {
    ...plan.header,
    path,
    transferSyntaxUid: parsed.transferSyntaxUid,
    numberOfFrames: Math.max(1, Math.round(num(ds, 'x00280008') ?? 1)),
    photometric: str(ds, 'x00280004').toUpperCase() || plan.header.photometric,
    planarConfiguration: ds.elements.x00280006 ? (ds.uint16('x00280006') ?? 0) : plan.header.planarConfiguration,
  };
  return { parsed, header };
}

/** Natural voxels -> the Volume: dcm2niix's layout, uint16 stored as int16 when it fits, scaling. */
function finish(
  plan: VolumePlan,
  natural: VoxelArray,
  dims3: [number, number, number],
  nVolumes: number,
  components: number,
  varying: boolean,
  laidOut: boolean,
  arena: VoxelArena | undefined,
  knownMax?: number,
): Volume {
  const { permute, flip } = plan.layout;
  const identity = permute[0] === 0 && permute[1] === 1 && permute[2] === 2 && !flip[0] && !flip[1] && !flip[2];
  let out =
    laidOut || identity
      ? natural
      : reorderVoxels(natural, dims3, nVolumes, components, plan.layout, allocVoxels(natural.constructor as VoxelCtor, natural.length, arena));
  if (out instanceof Uint16Array) {
    let max = knownMax ?? 0;
    if (knownMax === undefined) for (let i = 0; i < out.length; i++) if (out[i] > max) max = out[i];
    if (max <= 32767) out = new Int16Array(out.buffer, out.byteOffset, out.length);
  }
  const first = plan.slices[0];
  return {
    dims: [...plan.dims],
    data: out,
    datatype: datatypeOf(out, components),
    components,
    affine: plan.affine.map((r) => [...r]) as Volume['affine'],
    spacing: [...plan.spacing],
    sclSlope: varying ? 1 : first.rescaleSlope,
    sclInter: varying ? 0 : first.rescaleIntercept,
    description: plan.label,
  };
}

/** Tile k (row-major) of a mosaic image `mosaicColumns` wide. */
function cutTile(src: VoxelArray, mosaicColumns: number, tilesPerRow: number, cols: number, rows: number, components: number, k: number): VoxelArray {
  const out = new (src.constructor as new (n: number) => VoxelArray)(cols * rows * components);
  const tr = Math.floor(k / tilesPerRow);
  const tc = k % tilesPerRow;
  for (let y = 0; y < rows; y++) {
    const start = ((tr * rows + y) * mosaicColumns + tc * cols) * components;
    out.set(src.subarray(start, start + cols * components) as never, y * cols * components);
  }
  return out;
}

const NATIVE_LE = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1']);

/** Most iovecs one readv takes (POSIX IOV_MAX is at least 16; Linux, macOS: 1024). */
const IOV_MAX = 1024;

interface DirectKind {
  Ctor: VoxelCtor;
  bps: number;
  signed: boolean;
  frameBytes: number;
  /** Frames land in their output position (the layout keeps columns and rows in place). */
  laidOut: boolean;
}

/** How the fast path reads a plan, or null when it does not apply (see readNativeDirect). */
function directKind(plan: VolumePlan, sliceSize: number): DirectKind | null {
  const h = plan.header;
  if (plan.mosaic || plan.components > 1 || h.samplesPerPixel !== 1) return null;
  if (h.photometric !== 'MONOCHROME2' || (h.bitsAllocated !== 8 && h.bitsAllocated !== 16)) return null;
  for (const s of plan.slices) if (s.pixelOffset === undefined || s.pixelOffset < 12 || !NATIVE_LE.has(s.transferSyntaxUid)) return null;
  const first = plan.slices[0];
  for (const s of plan.slices) if (s.rescaleSlope !== first.rescaleSlope || s.rescaleIntercept !== first.rescaleIntercept) return null;
  const bps = h.bitsAllocated / 8;
  const signed = h.pixelRepresentation === 1;
  const Ctor = (bps === 1 ? (signed ? Int8Array : Uint8Array) : signed ? Int16Array : Uint16Array) as VoxelCtor;
  const { permute, flip } = plan.layout;
  const frameBytes = sliceSize * bps;
  const laidOut = permute[0] === 0 && permute[1] === 1 && permute[2] === 2 && !flip[0] && h.rows * h.columns * bps === frameBytes;
  return { Ctor, bps, signed, frameBytes, laidOut };
}

/**
 * True when loadVolumeSlices can read this plan: the fast path applies and frames land in their output
 * position, so disjoint slice ranges can be read by different threads into one shared volume.
 */
export function canLoadSlicesDirect(plan: VolumePlan): boolean {
  if (plan.slices.length === 0) return false;
  return directKind(plan, plan.header.columns * plan.header.rows)?.laidOut === true;
}

/** Bytes of the whole volume of a plan that canLoadSlicesDirect accepts. */
export function directVolumeBytes(plan: VolumePlan): number {
  return plan.header.columns * plan.header.rows * (plan.header.bitsAllocated / 8) * plan.slices.length;
}

/**
 * Reads slices [from, to) of the plan (fast path, output layout) into `target`, the bytes of the whole
 * volume (e.g. a SharedArrayBuffer that other threads fill with the other slices). Returns false when a
 * file does not fit (the caller then loads the volume whole, whose general path reports it), else the
 * largest stored value of the range for unsigned 16-bit data (volumeFromSlices needs it), 0 otherwise.
 */
export async function loadVolumeSlices(plan: VolumePlan, from: number, to: number, target: ArrayBufferLike): Promise<{ ok: boolean; max: number }> {
  const sliceSize = plan.header.columns * plan.header.rows;
  const kind = directKind(plan, sliceSize);
  if (!kind?.laidOut || target.byteLength < directVolumeBytes(plan)) return { ok: false, max: 0 };
  const data = new kind.Ctor(target as ArrayBuffer, 0, sliceSize * plan.slices.length);
  if (!(await readDirectInto(plan, kind, data, from, to))) return { ok: false, max: 0 };
  let max = 0;
  if (data instanceof Uint16Array) {
    const dest = directDest(plan, kind);
    for (let s = from; s < to; s++) {
      const a = dest(s) / 2;
      for (let i = a; i < a + sliceSize; i++) if (data[i] > max) max = data[i];
    }
  }
  return { ok: true, max };
}

/** The Volume over `target` once every slice was read by loadVolumeSlices (`max`: the largest of their maxima). */
export function volumeFromSlices(plan: VolumePlan, target: ArrayBufferLike, max: number): Volume {
  const sliceSize = plan.header.columns * plan.header.rows;
  const kind = directKind(plan, sliceSize);
  if (!kind?.laidOut) throw new PixelDecodeError(plan.slices[0]?.path ?? plan.seriesUid, '', 'volume cannot be assembled from slice ranges');
  const data = new kind.Ctor(target as ArrayBuffer, 0, sliceSize * plan.slices.length);
  const nVolumes = plan.dims[3] ?? 1;
  return finish(plan, data, [plan.header.columns, plan.header.rows, plan.slices.length / nVolumes], nVolumes, 1, false, true, undefined, max);
}

/** Byte offset in the volume of slice s (natural order, or its output position when laid out). */
function directDest(plan: VolumePlan, kind: DirectKind): (s: number) => number {
  const nSlices = plan.slices.length / (plan.dims[3] ?? 1);
  const flipZ = plan.layout.flip[2];
  return (s) => {
    if (!kind.laidOut || !flipZ) return s * kind.frameBytes;
    const t = Math.floor(s / nSlices);
    return (t * nSlices + (nSlices - 1 - (s % nSlices))) * kind.frameBytes;
  };
}

/**
 * The fast path for the common case (dcm2niix reads such files the same way): uncompressed little-endian
 * greyscale (MONOCHROME2, 8 or 16 bits allocated) slices whose Pixel Data offset the header parse
 * recorded. Each frame is read from its file straight into the volume: no dataset parse, no copies.
 * When the layout keeps columns and rows in place (dcm2niix's flipY, or none), frames land directly in
 * their output position (laidOut: rows reversed by one readv of row-sized pieces, slices reversed by
 * their offset), so no second volume is made for the reorder.
 * null (the general path then runs) when anything does not fit.
 */
async function readNativeDirect(
  plan: VolumePlan,
  sliceSize: number,
  arena: VoxelArena | undefined,
): Promise<{ data: VoxelArray; laidOut: boolean } | null> {
  const kind = directKind(plan, sliceSize);
  if (!kind) return null;
  const data = allocVoxels(kind.Ctor, sliceSize * plan.slices.length, arena);
  if (!(await readDirectInto(plan, kind, data, 0, plan.slices.length))) return null;
  return { data, laidOut: kind.laidOut };
}

/**
 * Reads slices [from, to) into `data` (natural positions, or output positions when kind.laidOut) and
 * masks their unused high bits. The element before each offset is checked to be Pixel Data (7FE0,0010)
 * long enough for the frame; false when anything does not fit. Gives the event loop a turn every 10 ms.
 */
async function readDirectInto(plan: VolumePlan, kind: DirectKind, data: VoxelArray, from: number, to: number): Promise<boolean> {
  const h = plan.header;
  const { frameBytes, laidOut } = kind;
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const rows = h.rows;
  const rowBytes = h.columns * kind.bps;
  const destOf = directDest(plan, kind);
  const before = new Uint8Array(12);
  const rowViews: Uint8Array[] = laidOut && plan.layout.flip[1] ? new Array<Uint8Array>(rows) : [];
  let fd = -1;
  let fdPath = '';
  let t = performance.now();
  try {
    for (let s = from; s < to; s++) {
      const ref = plan.slices[s];
      const off = ref.pixelOffset!;
      if (ref.path !== fdPath) {
        if (fd >= 0) fs.closeSync(fd);
        fd = -1;
        fd = fs.openSync(ref.path, 'r');
        fdPath = ref.path;
      }
      if (fs.readSync(fd, before, 0, 12, off - 12) !== 12) return false;
      const explicit = ref.transferSyntaxUid === '1.2.840.10008.1.2.1';
      const tagAt = explicit ? 0 : 4;
      if (before[tagAt] !== 0xe0 || before[tagAt + 1] !== 0x7f || before[tagAt + 2] !== 0x10 || before[tagAt + 3] !== 0x00) return false;
      const length = (before[8] | (before[9] << 8) | (before[10] << 16)) + before[11] * 0x1000000;
      if (length === 0xffffffff || length < (ref.frame + 1) * frameBytes) return false;
      const dest = destOf(s);
      const pos = off + ref.frame * frameBytes;
      if (rowViews.length) {
        // Natural row y goes to output row rows-1-y: one readv of row-sized views in that order.
        for (let y = 0; y < rows; y++) rowViews[y] = bytes.subarray(dest + (rows - 1 - y) * rowBytes, dest + (rows - y) * rowBytes);
        for (let y = 0; y < rows; y += IOV_MAX) {
          const part = rowViews.slice(y, Math.min(rows, y + IOV_MAX));
          const want = part.length * rowBytes;
          if (fs.readvSync(fd, part, pos + y * rowBytes) !== want) return false;
        }
      } else if (fs.readSync(fd, bytes, dest, frameBytes, pos) !== frameBytes) {
        return false;
      }
      const first = dest / kind.bps;
      maskBits(data.subarray(first, first + frameBytes / kind.bps) as VoxelArray, h.bitsStored, kind.signed);
      if (performance.now() - t > 10) {
        await new Promise((r) => setImmediate(r));
        t = performance.now();
      }
    }
  } catch {
    return false; // unreadable, gone, changed: the general path reports it properly
  } finally {
    if (fd >= 0) fs.closeSync(fd);
  }
  return true;
}

/** Masks unused high bits (unsigned) or sign-extends from BitsStored (signed), PS3.5 §8.1.1. */
function maskBits(data: VoxelArray, bits: number, signed: boolean): void {
  const alloc = data.BYTES_PER_ELEMENT * 8;
  if (bits <= 0 || bits >= alloc) return;
  if (signed) {
    const shift = 32 - bits;
    for (let i = 0; i < data.length; i++) data[i] = (data[i] << shift) >> shift;
  } else {
    const mask = (1 << bits) - 1;
    for (let i = 0; i < data.length; i++) data[i] = data[i] & mask;
  }
}
