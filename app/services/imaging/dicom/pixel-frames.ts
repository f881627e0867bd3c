// Extracts the bytes of one frame from a parsed dataset: native Pixel Data (frame i at
// i * rows*cols*samples*bitsAllocated/8, PS3.5 §8.1) or encapsulated Pixel Data (PS3.5 A.4: Basic Offset
// Table item, then fragments; a frame may span fragments).
import type { DicomHeader } from '../types.js';
import { dicomParser, type DataSet, type Element } from './dicom-parser-lib.js';

export function pixelElement(ds: DataSet): Element | undefined {
  return ds.elements.x7fe00010 ?? ds.elements.x7fe00008 ?? ds.elements.x7fe00009;
}

export function nativeFrameByteLength(h: DicomHeader): number {
  // Native YBR_FULL_422 keeps one Cb and one Cr per two pixels (Y1 Y2 Cb Cr, PS3.3 C.7.6.3.1.2 and
  // PS3.5 8.2.1): two samples per pixel, not three.
  const samples = h.photometric === 'YBR_FULL_422' && h.samplesPerPixel === 3 ? 2 : h.samplesPerPixel;
  return Math.ceil((h.rows * h.columns * samples * h.bitsAllocated) / 8);
}

/** Native frame bytes (a view, not a copy). Throws when the frame lies beyond the data. */
export function nativeFrame(bytes: Uint8Array, el: Element, h: DicomHeader, frame: number): Uint8Array {
  const len = nativeFrameByteLength(h);
  if (h.bitsAllocated === 1) {
    // Bit-packed frames follow each other without padding (PS3.5 §8.1.1): return the whole bit run.
    const bitStart = frame * h.rows * h.columns * h.samplesPerPixel;
    const start = el.dataOffset + Math.floor(bitStart / 8);
    return bytes.subarray(start, start + len + 1);
  }
  const start = el.dataOffset + frame * len;
  if (start + len > bytes.length || (el.length !== 0xffffffff && (frame + 1) * len > el.length)) {
    throw new RangeError(`frame ${frame} ends beyond the Pixel Data (${el.length} bytes)`);
  }
  return bytes.subarray(start, start + len);
}

export function encapsulatedFrame(ds: DataSet, el: Element, frame: number, numberOfFrames: number): Uint8Array {
  const fragments = el.fragments ?? [];
  if (fragments.length === 0) throw new RangeError('encapsulated Pixel Data has no fragments');
  if (numberOfFrames <= 1) {
    return toU8(dicomParser.readEncapsulatedPixelDataFromFragments(ds, el, 0, fragments.length));
  }
  const bot = el.basicOffsetTable ?? [];
  if (bot.length === 0 && fragments.length === numberOfFrames) {
    return toU8(dicomParser.readEncapsulatedPixelDataFromFragments(ds, el, frame, 1));
  }
  const table = bot.length > 0 ? bot : dicomParser.createJPEGBasicOffsetTable(ds, el);
  return toU8(dicomParser.readEncapsulatedImageFrame(ds, el, frame, table));
}

function toU8(a: Uint8Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}
