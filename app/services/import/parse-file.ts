// Reads one file's header for the catalogue (runs in the import worker threads).
// DICOM: reads only the first 64 KiB (or the whole file when smaller) and parses up to Pixel Data; only
// when the header is longer than that prefix is the whole file read. NIfTI (.nii, .nii.gz): the header,
// after checking the whole gzip stream inflates (corrupt gzip is caught here, not in the slice viewer) and
// that the voxel data are all there. Every failure becomes a recorded reason, never an exception.
import fs from 'node:fs';
import zlib from 'node:zlib';
import {
  DicomParseError,
  isNiftiPath,
  parseDicomHeader,
  readNiftiHeader,
  type DicomHeader,
  type NiftiHeaderInfo,
} from '../imaging/index.js';
import type { NotImportedReason } from '../../contract/types.js';
import { sopClassName } from './sop-classes.js';

/** First read; a header longer than this (large private tags) makes a second read of the whole file. */
export const HEADER_PREFIX_BYTES = 16 * 1024;

/** One reused read buffer per thread: parseFile is synchronous and headers keep no views on it. */
let scratch = Buffer.allocUnsafe(HEADER_PREFIX_BYTES);

export interface FileToParse {
  path: string;
  size: number;
  mtimeMs: number;
}

export type ParsedFile =
  | (FileToParse & { kind: 'dicom'; header: DicomHeader })
  | (FileToParse & { kind: 'nifti'; nifti: NiftiHeaderInfo })
  | (FileToParse & { kind: 'error'; reason: NotImportedReason; message: string; sopClassUid: string | null });

/**
 * What a worker sends back: the header as JSON text (stored as is; a string crosses threads far cheaper
 * than the object graph, and the main thread would stringify it anyway) plus the columns it indexes.
 */
export type WireParsed =
  | (FileToParse & {
      kind: 'dicom';
      json: string;
      seriesUid: string;
      sopInstanceUid: string;
      sopClassUid: string;
      transferSyntaxUid: string;
      instanceNumber: number | null;
      frames: number;
    })
  | (FileToParse & { kind: 'nifti'; json: string; volumeCount: number })
  | (FileToParse & { kind: 'error'; reason: NotImportedReason; message: string; sopClassUid: string | null });

export function toWire(p: ParsedFile, seriesUidOf: (h: DicomHeader) => string): WireParsed {
  const base = { path: p.path, size: p.size, mtimeMs: p.mtimeMs };
  if (p.kind === 'dicom') {
    const h = p.header;
    return {
      ...base,
      kind: 'dicom',
      json: JSON.stringify(h),
      seriesUid: seriesUidOf(h),
      sopInstanceUid: h.sopInstanceUid,
      sopClassUid: h.sopClassUid,
      transferSyntaxUid: h.transferSyntaxUid,
      instanceNumber: h.instanceNumber,
      frames: h.numberOfFrames || 1,
    };
  }
  if (p.kind === 'nifti') return { ...base, kind: 'nifti', json: JSON.stringify(p.nifti), volumeCount: p.nifti.volumeCount };
  return p;
}

function fail(f: FileToParse, reason: NotImportedReason, message: string, sopClassUid: string | null = null): ParsedFile {
  return { ...f, kind: 'error', reason, message, sopClassUid };
}

function ioReason(err: unknown): { reason: NotImportedReason; message: string } {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  if (code === 'EACCES' || code === 'EPERM') return { reason: 'unreadable', message: `permission denied (${code})` };
  if (code === 'ENOENT') return { reason: 'unreadable', message: 'file vanished during the import (ENOENT)' };
  return { reason: 'unreadable', message: `cannot read (${code || (err as Error).message})` };
}

/** Reads up to `n` bytes from the start of a file (into the shared scratch buffer). */
function readPrefix(path: string, n: number): Buffer {
  const fd = fs.openSync(path, 'r');
  try {
    if (scratch.length < n) scratch = Buffer.allocUnsafe(n);
    const buf = scratch;
    let got = 0;
    while (got < n) {
      const r = fs.readSync(fd, buf, got, n - got, got);
      if (r === 0) break;
      got += r;
    }
    return buf.subarray(0, got);
  } finally {
    fs.closeSync(fd);
  }
}

const DICOM_REASON: Record<string, NotImportedReason> = {
  empty: 'zero-byte',
  'not-dicom': 'not-dicom',
  truncated: 'truncated',
  'no-pixel-data': 'non-image',
  corrupt: 'corrupt',
  'unsupported-transfer-syntax': 'unsupported',
  'incomplete-prefix': 'truncated',
};

export function parseFile(f: FileToParse): ParsedFile {
  if (f.size === 0) return fail(f, 'zero-byte', `${f.path}: empty file (0 bytes)`);
  if (isNiftiPath(f.path)) return parseNifti(f);
  let bytes: Buffer;
  try {
    bytes = readPrefix(f.path, Math.min(f.size, HEADER_PREFIX_BYTES));
  } catch (err) {
    const e = ioReason(err);
    return fail(f, e.reason, `${f.path}: ${e.message}`);
  }
  if (bytes.length === 0) return fail(f, 'zero-byte', `${f.path}: empty file (0 bytes)`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const header = parseDicomHeader(bytes, f.path, { fileSize: f.size, allowNoPixelData: true });
      if (!header.hasPixelData) {
        const cls = header.sopClassUid || null;
        return fail(f, 'non-image', `${f.path}: DICOM ${sopClassName(cls)} without pixel data (not an image)`, cls);
      }
      const pd = header.pixelData;
      if (pd && !pd.encapsulated && pd.length >= 0 && pd.offset + pd.length > f.size && !isDeflated(header)) {
        return fail(
          f,
          'truncated',
          `${f.path}: truncated: pixel data needs ${pd.length} bytes from offset ${pd.offset}, the file has ${f.size}`,
        );
      }
      return { ...f, kind: 'dicom', header };
    } catch (err) {
      if (err instanceof DicomParseError) {
        if (err.reason === 'incomplete-prefix' && attempt === 0 && bytes.length < f.size) {
          try {
            bytes = fs.readFileSync(f.path);
          } catch (e2) {
            const e = ioReason(e2);
            return fail(f, e.reason, `${f.path}: ${e.message}`);
          }
          continue;
        }
        return fail(f, DICOM_REASON[err.reason] ?? 'corrupt', err.message);
      }
      return fail(f, 'corrupt', `${f.path}: ${(err as Error).message}`);
    }
  }
  return fail(f, 'corrupt', `${f.path}: header could not be parsed`);
}

function isDeflated(h: DicomHeader): boolean {
  return h.transferSyntaxUid === '1.2.840.10008.1.2.1.99';
}

function parseNifti(f: FileToParse): ParsedFile {
  let raw: Buffer;
  try {
    raw = fs.readFileSync(f.path);
  } catch (err) {
    const e = ioReason(err);
    return fail(f, e.reason, `${f.path}: ${e.message}`);
  }
  let bytes: Buffer = raw;
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      bytes = zlib.gunzipSync(raw);
    } catch (err) {
      return fail(f, 'corrupt-gzip', `${f.path}: corrupt gzip stream (${(err as Error).message})`);
    }
  } else if (f.path.toLowerCase().endsWith('.gz')) {
    return fail(f, 'corrupt-gzip', `${f.path}: named .gz but has no gzip signature`);
  }
  let nifti: NiftiHeaderInfo;
  try {
    nifti = readNiftiHeader(bytes, f.path);
  } catch (err) {
    return fail(f, 'corrupt', (err as Error).message.startsWith(f.path) ? (err as Error).message : `${f.path}: ${(err as Error).message}`);
  }
  const nvox = nifti.dims.reduce((a, b) => a * Math.max(1, b), 1);
  const need = nifti.voxOffset + (nvox * nifti.bitpix) / 8;
  if (bytes.length < need) {
    return fail(f, 'truncated', `${f.path}: truncated: voxel data need ${need} bytes, the (inflated) file has ${bytes.length}`);
  }
  return { ...f, kind: 'nifti', nifti };
}
