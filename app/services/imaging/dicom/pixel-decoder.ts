// Decodes one frame of a DICOM image into stored values (before RescaleSlope/Intercept), in every
// transfer syntax of transfer-syntax.ts. Native data: byte order per transfer syntax, bit masking and
// sign extension from BitsStored (PS3.5 §8.1.1), planar configuration (PS3.3 C.7.6.3.1.3), YBR_FULL(_422)
// to RGB (PS3.3 C.7.6.3.1.2). MONOCHROME1 is inverted within the stored range so that higher = brighter.
import { PixelDecodeError } from '../errors.js';
import type { DicomHeader, VoxelArray } from '../types.js';
import {
  type DecodedFrame,
  decodeHtj2k,
  decodeJpeg2000,
  decodeJpegBaseline,
  decodeJpegDcmtk,
  decodeJpegLs,
} from './codecs.js';
import { jpegFrameInfo } from './jpeg-frame-info.js';
import type { ParsedDataSet } from './read-dataset.js';
import { encapsulatedFrame, nativeFrame, pixelElement } from './pixel-frames.js';
import { decodeRleFrame } from './rle.js';
import { transferSyntaxInfo } from './transfer-syntax.js';

export interface DecodedImage {
  /** Stored values, components interleaved (RGB for colour). */
  data: VoxelArray;
  components: number;
}

export async function decodeFrame(parsed: ParsedDataSet, header: DicomHeader, frame: number): Promise<DecodedImage> {
  const ts = parsed.transferSyntaxUid;
  const fail = (msg: string, cause?: unknown) => new PixelDecodeError(header.path, ts, `frame ${frame}: ${msg}`, { cause });
  const el = pixelElement(parsed.dataSet);
  if (!el) throw fail('no Pixel Data');
  const info = transferSyntaxInfo(ts);
  const isFloat = el.tag === 'x7fe00008' || el.tag === 'x7fe00009';
  let le: Uint8Array;
  let components = header.samplesPerPixel;
  let planar = header.planarConfiguration === 1 && components > 1;
  let colourIsRgb = header.photometric === 'RGB' || components === 1;
  try {
    if (!info.encapsulated) {
      if (header.bitsAllocated === 1) return { data: unpackBits(nativeFrame(parsed.bytes, el, header, frame), header, frame), components: 1 };
      const raw = nativeFrame(parsed.bytes, el, header, frame);
      le = !info.littleEndian && header.bitsAllocated > 8 ? swapBytes(raw, header.bitsAllocated / 8) : raw.slice();
      if (header.photometric === 'YBR_FULL_422' && components === 3) {
        le = expandYbr422(le, header.columns, header.rows);
        planar = false;
      }
    } else {
      const encoded = encapsulatedFrame(parsed.dataSet, el, frame, header.numberOfFrames);
      const decoded = await decodeEncapsulated(info.codec, encoded, header);
      if (decoded.width !== header.columns || decoded.height !== header.rows) {
        throw new Error(`codec gave ${decoded.width}x${decoded.height}, header says ${header.columns}x${header.rows}`);
      }
      le = decoded.bytes;
      components = decoded.components;
      planar = header.planarConfiguration === 1 && components > 1 && info.codec === 'rle';
      // JPEG baseline/extended decoders convert YCbCr to RGB; RLE/J2K keep what was encoded (J2K with
      // MCT gives RGB; RLE of YBR_FULL stays YBR); so does JPEG lossless (no colour transform).
      colourIsRgb = components === 1 || (info.codec !== 'rle' && info.codec !== 'jpeg-lossless') || header.photometric === 'RGB';
    }
  } catch (e) {
    if (e instanceof PixelDecodeError) throw e;
    throw fail(e instanceof Error ? e.message : String(e), e);
  }
  const pixels = header.rows * header.columns;
  const bytesPerSample = isFloat ? (el.tag === 'x7fe00009' ? 8 : 4) : Math.max(1, Math.ceil(header.bitsAllocated / 8));
  if (le.length < pixels * components * bytesPerSample) throw fail(`decoded ${le.length} bytes, expected ${pixels * components * bytesPerSample}`);
  if (planar) le = interleavePlanes(le, pixels, components, bytesPerSample);
  let data = toTypedArray(le, header, bytesPerSample, isFloat, pixels * components);
  if (!isFloat) data = fixBits(data, header);
  if (components === 3 && !colourIsRgb && /^YBR_FULL/.test(header.photometric) && data instanceof Uint8Array) ybrToRgb(data);
  if (header.photometric === 'MONOCHROME1' && components === 1 && !isFloat) invertMonochrome1(data, header);
  return { data, components };
}

async function decodeEncapsulated(codec: string, encoded: Uint8Array, h: DicomHeader): Promise<DecodedFrame> {
  switch (codec) {
    case 'rle':
      return {
        bytes: decodeRleFrame(encoded, h.rows, h.columns, h.samplesPerPixel, h.bitsAllocated),
        width: h.columns,
        height: h.rows,
        bitsPerSample: h.bitsAllocated,
        components: h.samplesPerPixel,
      };
    case 'jpeg-baseline':
      return decodeJpegBaseline(encoded);
    case 'jpeg-extended-12':
      // 8-bit process 2 streams decode with libjpeg-turbo; 12-bit process 4 needs DCMTK's IJG 12-bit.
      if (jpegFrameInfo(encoded).precision <= 8) return decodeJpegBaseline(encoded);
      return decodeJpegDcmtk(encoded, h, true);
    case 'jpeg-lossless':
      return decodeJpegDcmtk(encoded, h, false);
    case 'jpeg-ls':
      return decodeJpegLs(encoded);
    case 'jpeg2000':
      return decodeJpeg2000(encoded);
    case 'htj2k':
      return decodeHtj2k(encoded);
    default:
      throw new Error(`no decoder for transfer syntax (${codec})`);
  }
}

function swapBytes(src: Uint8Array, width: number): Uint8Array {
  const out = new Uint8Array(src.length);
  for (let i = 0; i + width <= src.length; i += width) for (let b = 0; b < width; b++) out[i + b] = src[i + width - 1 - b];
  return out;
}

function interleavePlanes(src: Uint8Array, pixels: number, components: number, bps: number): Uint8Array {
  const out = new Uint8Array(pixels * components * bps);
  for (let c = 0; c < components; c++)
    for (let p = 0; p < pixels; p++)
      for (let b = 0; b < bps; b++) out[(p * components + c) * bps + b] = src[(c * pixels + p) * bps + b];
  return out;
}

function toTypedArray(le: Uint8Array, h: DicomHeader, bps: number, isFloat: boolean, count: number): VoxelArray {
  const buf = le.byteOffset % 8 === 0 ? le : le.slice();
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + count * bps) as ArrayBuffer;
  const signed = h.pixelRepresentation === 1;
  if (isFloat) return bps === 8 ? new Float64Array(ab) : new Float32Array(ab);
  if (bps === 1) return signed ? new Int8Array(ab) : new Uint8Array(ab);
  if (bps === 2) return signed ? new Int16Array(ab) : new Uint16Array(ab);
  if (bps === 4) return signed ? new Int32Array(ab) : new Uint32Array(ab);
  throw new Error(`unsupported BitsAllocated ${h.bitsAllocated}`);
}

/** Masks unused high bits (unsigned) or sign-extends from BitsStored (signed). */
function fixBits(data: VoxelArray, h: DicomHeader): VoxelArray {
  const bits = h.bitsStored;
  const alloc = data.BYTES_PER_ELEMENT * 8;
  if (bits <= 0 || bits >= alloc) return data;
  if (h.pixelRepresentation === 1) {
    const shift = 32 - bits;
    for (let i = 0; i < data.length; i++) data[i] = ((data[i] << shift) >> shift);
  } else {
    const mask = bits >= 32 ? 0xffffffff : (1 << bits) - 1;
    for (let i = 0; i < data.length; i++) data[i] = (data[i] & mask) >>> 0;
  }
  return data;
}

function invertMonochrome1(data: VoxelArray, h: DicomHeader): void {
  const bits = Math.min(h.bitsStored || data.BYTES_PER_ELEMENT * 8, data.BYTES_PER_ELEMENT * 8);
  if (h.pixelRepresentation === 1) {
    for (let i = 0; i < data.length; i++) data[i] = -1 - data[i];
  } else {
    const max = 2 ** bits - 1;
    for (let i = 0; i < data.length; i++) data[i] = max - data[i];
  }
}

function unpackBits(bytes: Uint8Array, h: DicomHeader, frame: number): Uint8Array {
  const n = h.rows * h.columns;
  const startBit = (frame * n) % 8;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const bit = startBit + i;
    out[i] = (bytes[bit >> 3] >> (bit & 7)) & 1;
  }
  return out;
}

function expandYbr422(src: Uint8Array, columns: number, rows: number): Uint8Array {
  // YBR_FULL_422 native: per pair of pixels Y1 Y2 Cb Cr (PS3.3 C.7.6.3.1.2); expand to YBR_FULL.
  const out = new Uint8Array(columns * rows * 3);
  let o = 0;
  for (let i = 0; i + 3 < src.length && o < out.length; i += 4) {
    const [y1, y2, cb, cr] = [src[i], src[i + 1], src[i + 2], src[i + 3]];
    out[o++] = y1;
    out[o++] = cb;
    out[o++] = cr;
    out[o++] = y2;
    out[o++] = cb;
    out[o++] = cr;
  }
  return out;
}

/** YBR_FULL to RGB, PS3.3 C.7.6.3.1.2 (ITU-R BT.601 full range). */
function ybrToRgb(d: Uint8Array): void {
  const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));
  for (let i = 0; i + 2 < d.length; i += 3) {
    const y = d[i];
    const cb = d[i + 1] - 128;
    const cr = d[i + 2] - 128;
    d[i] = clamp(y + 1.402 * cr);
    d[i + 1] = clamp(y - 0.344136 * cb - 0.714136 * cr);
    d[i + 2] = clamp(y + 1.772 * cb);
  }
}
