import { describe, expect, it } from 'vitest';
import { decodeRleFrame } from '../../../../../../app/services/imaging/dicom/rle.js';

/** Builds an RLE frame (PS3.5 G.3) from already PackBits-coded segments. */
function frame(segments: number[][]): Uint8Array {
  const header = new Uint8Array(64);
  const dv = new DataView(header.buffer);
  dv.setUint32(0, segments.length, true);
  let offset = 64;
  segments.forEach((s, i) => {
    dv.setUint32(4 + 4 * i, offset, true);
    offset += s.length;
  });
  const out = new Uint8Array(offset);
  out.set(header);
  let o = 64;
  for (const s of segments) {
    out.set(s, o);
    o += s.length;
  }
  return out;
}

describe('RLE decoder (PS3.5 Annex G)', () => {
  it('decodes literal runs, replicate runs and the no-op byte (G.3.1)', () => {
    // 2x4 8-bit: literal [1,2,3], no-op (-128), replicate 9 five times (-4 => 5 copies).
    const f = frame([[2, 1, 2, 3, 128, 252, 9]]);
    expect(Array.from(decodeRleFrame(f, 2, 4, 1, 8))).toEqual([1, 2, 3, 9, 9, 9, 9, 9]);
  });

  it('reassembles 16-bit samples from high-byte then low-byte segments (G.2), little-endian', () => {
    // Values 0x0102, 0x0304 => segment 0 (MSB) [1,3], segment 1 (LSB) [2,4].
    const f = frame([[1, 1, 3], [1, 2, 4]]);
    const out = decodeRleFrame(f, 1, 2, 1, 16);
    expect(Array.from(new Uint16Array(out.buffer))).toEqual([0x0102, 0x0304]);
  });

  it('interleaves RGB planes by pixel', () => {
    const f = frame([[1, 10, 11], [1, 20, 21], [1, 30, 31]]);
    expect(Array.from(decodeRleFrame(f, 1, 2, 3, 8))).toEqual([10, 20, 30, 11, 21, 31]);
  });

  it('rejects a segment count that does not match the image', () => {
    expect(() => decodeRleFrame(frame([[0, 1]]), 1, 1, 1, 16)).toThrow(/2 segments|expected 2/);
  });
});
