// Turns file bytes into a dicom-parser DataSet: detects Part 10 files (preamble + "DICM") and raw datasets
// without file meta (implicit VR LE, explicit VR LE/BE), inflates Deflated Explicit VR LE (PS3.5 A.5,
// raw deflate after the file meta group) with node:zlib, and classifies failures into DicomParseError reasons.
// Sources: DICOM PS3.10 §7.1 (file preamble, prefix, meta information), PS3.5 §7 (data element encoding).
import { inflateRawSync } from 'node:zlib';
import { DicomParseError } from '../errors.js';
import { dicomParser, type DataSet } from './dicom-parser-lib.js';
import { DEFLATED_EXPLICIT_VR_LE, EXPLICIT_VR_BE, EXPLICIT_VR_LE, IMPLICIT_VR_LE } from './transfer-syntax.js';

export interface ReadDataSetOptions {
  /** Stop before the Pixel Data value (header only). */
  untilPixelData: boolean;
  /** Whole file size when `bytes` is a prefix. */
  fileSize?: number;
}

export interface ParsedDataSet {
  dataSet: DataSet;
  transferSyntaxUid: string;
  /** Bytes the DataSet offsets refer to (inflated for deflate, without a stray command group). */
  bytes: Uint8Array;
  /** Length the dataset bytes would have if the whole file were read (for truncation checks). */
  dataLength: number;
  hasFileMeta: boolean;
  warnings: string[];
}

const VRS = new Set(
  'AE AS AT CS DA DS DT FL FD IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US UT UV'.split(' '),
);

function isVr(b0: number, b1: number): boolean {
  return VRS.has(String.fromCharCode(b0, b1));
}

/** Guesses the encoding of a dataset that has no file meta information, from its first element. */
function guessRawSyntax(bytes: Uint8Array): string | null {
  if (bytes.length < 8) return null;
  const groupLe = bytes[0] | (bytes[1] << 8);
  const groupBe = (bytes[0] << 8) | bytes[1];
  const explicit = isVr(bytes[4], bytes[5]);
  // Plausible first groups of a dataset: command/meta (0000, 0002), identifying (0008), or small groups.
  const plausible = (g: number) => g === 0x0002 || g === 0x0008 || (g > 0 && g <= 0x0020 && g % 2 === 0);
  if (explicit && plausible(groupLe)) return EXPLICIT_VR_LE;
  if (explicit && plausible(groupBe)) return EXPLICIT_VR_BE;
  if (!explicit && plausible(groupLe)) {
    const len = (bytes[4] | (bytes[5] << 8) | (bytes[6] << 16)) + bytes[7] * 0x1000000;
    if (len === 0xffffffff || len <= bytes.length) return IMPLICIT_VR_LE;
  }
  return null;
}

/** Cheap sniff: "DICM" at offset 128, or a plausible raw dataset start. */
export function looksLikeDicom(bytes: Uint8Array): boolean {
  if (hasPart10Prefix(bytes)) return true;
  return guessRawSyntax(bytes) !== null;
}

function hasPart10Prefix(bytes: Uint8Array): boolean {
  return bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d;
}

function messageOf(e: unknown): string {
  if (typeof e === 'string') return e;
  if (e instanceof Error) return e.message;
  if (e && typeof e === 'object' && 'exception' in e) return messageOf((e as { exception: unknown }).exception);
  return String(e);
}

function isOverrun(msg: string): boolean {
  return /past end|maxPosition|overrun|overread|beyond|end of buffer|premature end|outside|out of range|attempt to read/i.test(msg);
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Scans the file meta group (always explicit VR LE, PS3.10 §7.1): its end and the transfer syntax. */
function scanMeta(bytes: Uint8Array): { end: number; syntax: string } | null {
  let p = 132;
  let syntax = '';
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  while (p + 8 <= bytes.length && dv.getUint16(p, true) === 0x0002) {
    const element = dv.getUint16(p + 2, true);
    const vr = String.fromCharCode(bytes[p + 4], bytes[p + 5]);
    let len: number;
    let value: number;
    if (['OB', 'OW', 'OF', 'SQ', 'UT', 'UN', 'UC', 'UR', 'OD', 'OL', 'OV', 'SV', 'UV'].includes(vr)) {
      if (p + 12 > bytes.length) return null;
      len = dv.getUint32(p + 8, true);
      value = p + 12;
    } else {
      len = dv.getUint16(p + 6, true);
      value = p + 8;
    }
    if (len === 0xffffffff || value + len > bytes.length) return null;
    if (element === 0x0010) syntax = String.fromCharCode(...bytes.subarray(value, value + len)).replace(/[\0\s]+$/g, '');
    p = value + len;
  }
  return { end: p, syntax };
}

/**
 * Some writers leave Command group (0000,xxxx) elements at the start of the dataset; dicom-parser's
 * meta reader swallows them as if they were meta elements and then loses its place. Returns the bytes
 * without those elements (offsets then refer to the returned copy).
 */
function dropCommandGroup(bytes: Uint8Array): Uint8Array {
  if (!hasPart10Prefix(bytes)) return bytes;
  const meta = scanMeta(bytes);
  if (!meta) return bytes;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = meta.syntax !== EXPLICIT_VR_BE;
  let p = meta.end;
  if (meta.syntax === DEFLATED_EXPLICIT_VR_LE) return bytes;
  while (p + 8 <= bytes.length && bytes[p] === 0 && bytes[p + 1] === 0) {
    if (isVr(bytes[p + 4], bytes[p + 5])) p += 8 + dv.getUint16(p + 6, le);
    else p += 8 + dv.getUint32(p + 4, true);
  }
  if (p === meta.end || p > bytes.length) return bytes;
  const out = new Uint8Array(bytes.length - (p - meta.end));
  out.set(bytes.subarray(0, meta.end), 0);
  out.set(bytes.subarray(p), meta.end);
  return out;
}

export function readDataSet(bytes: Uint8Array, path: string, options: ReadDataSetOptions): ParsedDataSet {
  const originalLength = bytes.length;
  const declaredSize = options.fileSize ?? originalLength;
  bytes = dropCommandGroup(bytes);
  const fileSize = declaredSize - (originalLength - bytes.length);
  const isPrefix = bytes.length < fileSize;
  if (fileSize === 0 || bytes.length === 0) throw new DicomParseError(path, 'empty', 'empty file (0 bytes)');
  const warnings: string[] = [];
  const buffer = toBuffer(bytes);
  let inflatedBytes: Uint8Array | null = null;
  const parseOptions: Record<string, unknown> = {
    inflater: (arr: Uint8Array, position: number) => {
      let inflated: Buffer;
      try {
        inflated = inflateRawSync(arr.subarray(position));
      } catch (e) {
        throw new DicomParseError(path, isPrefix ? 'incomplete-prefix' : 'corrupt', `deflated dataset cannot be inflated: ${messageOf(e)}`);
      }
      const full = Buffer.alloc(position + inflated.length);
      full.set(arr.subarray(0, position), 0);
      full.set(inflated, position);
      inflatedBytes = full;
      return full;
    },
  };
  if (options.untilPixelData) parseOptions.untilTag = 'x7fe00010';

  const hasMeta = hasPart10Prefix(bytes);
  let syntax: string | null = null;
  if (!hasMeta) {
    syntax = guessRawSyntax(bytes);
    if (syntax === null) {
      throw new DicomParseError(path, 'not-dicom', 'not DICOM: no "DICM" prefix at offset 128 and no plausible dataset start');
    }
    parseOptions.TransferSyntaxUID = syntax;
    warnings.push(`no file meta information; assumed ${syntax === IMPLICIT_VR_LE ? 'implicit VR little endian' : syntax === EXPLICIT_VR_BE ? 'explicit VR big endian' : 'explicit VR little endian'}`);
  }

  let dataSet: DataSet;
  try {
    dataSet = dicomParser.parseDicom(buffer, parseOptions as never);
  } catch (e) {
    if (e instanceof DicomParseError) throw e;
    const msg = messageOf(e);
    if (/missing required meta header attribute 0002,0010/.test(msg)) {
      // File meta without a transfer syntax: guess from the dataset after the meta group.
      return retryWithoutTransferSyntax(bytes, path, options, warnings);
    }
    if (isOverrun(msg)) {
      if (isPrefix) throw new DicomParseError(path, 'incomplete-prefix', 'header extends past the bytes read; read the whole file');
      throw new DicomParseError(path, 'truncated', `truncated: ${msg}`);
    }
    if (/DICM prefix not found/.test(msg)) throw new DicomParseError(path, 'not-dicom', 'not DICOM: no "DICM" prefix');
    throw new DicomParseError(path, 'corrupt', `cannot parse DICOM dataset: ${msg}`);
  }
  const transferSyntaxUid = (dataSet.string('x00020010') ?? syntax ?? IMPLICIT_VR_LE).trim().replace(/\0/g, '');
  const dataBytes: Uint8Array = transferSyntaxUid === DEFLATED_EXPLICIT_VR_LE && inflatedBytes ? inflatedBytes : bytes;
  for (const w of dataSet.warnings ?? []) warnings.push(String(w));
  const dataLength = dataBytes === bytes ? fileSize : dataBytes.length;
  return { dataSet, transferSyntaxUid, bytes: dataBytes, dataLength, hasFileMeta: hasMeta, warnings };
}

/** Part 10 file whose meta lacks (0002,0010): parse the meta, then the rest as a raw dataset. */
function retryWithoutTransferSyntax(bytes: Uint8Array, path: string, options: ReadDataSetOptions, warnings: string[]): ParsedDataSet {
  let meta: DataSet;
  try {
    meta = dicomParser.readPart10Header(toBuffer(bytes));
  } catch (e) {
    throw new DicomParseError(path, 'corrupt', `cannot parse file meta information: ${messageOf(e)}`);
  }
  // The meta group ends where its last element's value ends (PS3.10 §7.1).
  let position = 132;
  for (const el of Object.values(meta.elements)) {
    if (el.tag.startsWith('x0002') && el.length !== 0xffffffff) position = Math.max(position, el.dataOffset + el.length);
  }
  const rest = bytes.subarray(position);
  const syntax = guessRawSyntax(rest) ?? IMPLICIT_VR_LE;
  warnings.push(`file meta has no transfer syntax (0002,0010); assumed ${syntax}`);
  const inner = readDataSet(rest, path, { untilPixelData: options.untilPixelData });
  return { ...inner, transferSyntaxUid: inner.transferSyntaxUid, hasFileMeta: true, warnings: [...warnings, ...inner.warnings] };
}
