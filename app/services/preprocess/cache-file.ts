// The preprocessed-volume cache file: one per (series, settings), whole or absent.
//   bytes 0-7    magic "VXBPREP1"
//   bytes 8-11   header length L (uint32 little endian)
//   bytes 12..   header: JSON (CacheHeader), UTF-8, then zero padding to a multiple of 64 bytes
//   dataOffset.. voxels: int16 little endian, x fastest, dims[0] * dims[1] * dims[2] of them;
//                real value = offset + scale * q
// The header records the settings, the source fingerprint and the CRC-32 of the voxel bytes; a file whose
// size, header or CRC does not match is refused (CacheFileError) and recomputed by the caller, never used.
// Written whole or absent (platform/atomic-write.ts: temporary file, fsync, rename, folder fsync).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { PreprocessSettings, PreprocessedEntry } from '../../contract/types/data.js';
import { CacheFileError } from '../../contract/errors.js';
import { writeFileAtomicSync } from '../../platform/atomic-write.js';
import type { IntensityStats } from './intensity.js';
import type { Box } from './foreground-box.js';

const MAGIC = Buffer.from('VXBPREP1', 'latin1');
const ALIGN = 64;
export const CACHE_FORMAT_VERSION = 1;

/** The header: the entry's fields that describe the stored box (dims, spacing, RAS affine, int16 scale and
 * offset, series, settings key, modality), and what it was made from. */
export interface CacheHeader extends Pick<PreprocessedEntry, 'seriesId' | 'settingsKey' | 'modality' | 'dims' | 'spacing' | 'affine' | 'scale' | 'offset'> {
  format: 'voxelbase-preprocessed';
  version: number;
  settings: PreprocessSettings;
  /** Hash of the series' source (plan, files, sizes, mtimes) when it was computed. */
  fingerprint: string;
  intensity: IntensityStats;
  dataBytes: number;
  crc32: number;
  /** The source volume and the resampled grid the box was cut from. */
  source: { dims: number[]; spacing: number[]; volume: number; volumeCount: number };
  grid: { dims: [number, number, number]; box: Box };
  createdAt: string;
}

export interface CacheFileInfo {
  header: CacheHeader;
  dataOffset: number;
}

/** Quantises real values into int16 with a scale and offset that span [min, max]. */
export function quantize(values: Float32Array): { data: Int16Array; scale: number; offset: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!values.length) min = max = 0;
  const offset = (min + max) / 2;
  const scale = max > min ? (max - min) / 65534 : 1;
  const inv = 1 / scale;
  const data = new Int16Array(values.length);
  for (let i = 0; i < values.length; i++) data[i] = Math.round((values[i] - offset) * inv);
  return { data, scale, offset };
}

export function writeCacheFile(file: string, header: Omit<CacheHeader, 'dataBytes' | 'crc32' | 'format' | 'version'>, data: Int16Array): CacheFileInfo {
  assertLittleEndian();
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const full: CacheHeader = { format: 'voxelbase-preprocessed', version: CACHE_FORMAT_VERSION, ...header, dataBytes: bytes.byteLength, crc32: zlib.crc32(bytes) };
  const json = Buffer.from(JSON.stringify(full), 'utf8');
  const dataOffset = Math.ceil((12 + json.length) / ALIGN) * ALIGN;
  const head = Buffer.alloc(dataOffset);
  MAGIC.copy(head, 0);
  head.writeUInt32LE(json.length, 8);
  json.copy(head, 12);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomicSync(file, [head, bytes]);
  return { header: full, dataOffset };
}

/** Header of a cache file, checked against the file's size (not its CRC: see verifyCacheFile). */
export function readCacheHeader(file: string): CacheFileInfo {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    throw new CacheFileError(`${file}: cannot open cache file (${(e as Error).message})`, { cause: e });
  }
  try {
    const size = fs.fstatSync(fd).size;
    const pre = Buffer.alloc(12);
    if (fs.readSync(fd, pre, 0, 12, 0) !== 12 || !pre.subarray(0, 8).equals(MAGIC)) throw new CacheFileError(`${file}: not a preprocessed cache file`);
    const len = pre.readUInt32LE(8);
    if (len > 1 << 20 || 12 + len > size) throw new CacheFileError(`${file}: truncated cache file (header of ${len} bytes, file has ${size})`);
    const json = Buffer.alloc(len);
    fs.readSync(fd, json, 0, len, 12);
    let header: CacheHeader;
    try {
      header = JSON.parse(json.toString('utf8')) as CacheHeader;
    } catch {
      throw new CacheFileError(`${file}: corrupt cache header`);
    }
    if (header.format !== 'voxelbase-preprocessed' || header.version !== CACHE_FORMAT_VERSION) throw new CacheFileError(`${file}: cache format ${header.format} v${header.version} is not v${CACHE_FORMAT_VERSION}`);
    const dataOffset = Math.ceil((12 + len) / ALIGN) * ALIGN;
    const [x, y, z] = header.dims;
    if (header.dataBytes !== x * y * z * 2) throw new CacheFileError(`${file}: header says ${header.dataBytes} voxel bytes for dims ${header.dims.join('x')}`);
    if (size !== dataOffset + header.dataBytes) throw new CacheFileError(`${file}: truncated cache file (${size} bytes, expected ${dataOffset + header.dataBytes})`);
    return { header, dataOffset };
  } finally {
    fs.closeSync(fd);
  }
}

/** Header and voxels of a cache file, CRC checked. */
export function readCacheFile(file: string): CacheFileInfo & { data: Int16Array } {
  assertLittleEndian();
  const info = readCacheHeader(file);
  const buf = new ArrayBuffer(info.header.dataBytes);
  const bytes = new Uint8Array(buf);
  const fd = fs.openSync(file, 'r');
  try {
    if (fs.readSync(fd, bytes, 0, bytes.length, info.dataOffset) !== bytes.length) throw new CacheFileError(`${file}: truncated voxel data`);
  } finally {
    fs.closeSync(fd);
  }
  if (zlib.crc32(bytes) !== info.header.crc32) throw new CacheFileError(`${file}: voxel data fail their CRC-32 (corrupt cache file)`);
  return { ...info, data: new Int16Array(buf) };
}

/** Throws CacheFileError unless the file is whole and its voxels pass their CRC. */
export function verifyCacheFile(file: string): CacheFileInfo {
  const { header, dataOffset } = readCacheFile(file);
  return { header, dataOffset };
}

function assertLittleEndian(): void {
  if (os.endianness() !== 'LE') throw new CacheFileError('preprocessed cache files are little endian; this machine is big endian');
}
