// DICOM RLE Lossless decoder (PS3.5 Annex G). A frame is one fragment: a 64-byte header of 16 uint32 LE
// (number of segments, then up to 15 segment offsets), followed by PackBits-coded segments (G.3.1).
// Segments hold byte planes: for each sample, most significant byte first (G.2). The result is
// little-endian, interleaved by sample (planar configuration 0), bitsAllocated/8 bytes per sample.

export class RleError extends Error {}

/** Decodes one RLE frame to rows*cols*samples*bytesPerSample little-endian interleaved bytes. */
export function decodeRleFrame(frame: Uint8Array, rows: number, columns: number, samplesPerPixel: number, bitsAllocated: number): Uint8Array {
  if (frame.length < 64) throw new RleError('RLE frame shorter than its 64-byte header');
  const dv = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const nSegments = dv.getUint32(0, true);
  const bytesPerSample = Math.ceil(bitsAllocated / 8);
  const expected = bytesPerSample * samplesPerPixel;
  if (nSegments !== expected) throw new RleError(`RLE header has ${nSegments} segments, expected ${expected}`);
  const offsets: number[] = [];
  for (let i = 0; i < nSegments; i++) offsets.push(dv.getUint32(4 + 4 * i, true));
  const pixels = rows * columns;
  const out = new Uint8Array(pixels * expected);
  const plane = new Uint8Array(pixels);
  for (let s = 0; s < nSegments; s++) {
    const start = offsets[s];
    const end = s + 1 < nSegments ? offsets[s + 1] : frame.length;
    if (start < 64 || start > frame.length || end > frame.length || end < start) throw new RleError(`RLE segment ${s} offset out of range`);
    decodePackBits(frame, start, end, plane);
    // Segment s: sample = floor(s / bytesPerSample), byte significance = bytesPerSample-1 - (s % bytesPerSample).
    const sample = Math.floor(s / bytesPerSample);
    const byteInSample = bytesPerSample - 1 - (s % bytesPerSample);
    const stride = expected;
    const base = sample * bytesPerSample + byteInSample;
    for (let p = 0; p < pixels; p++) out[p * stride + base] = plane[p];
  }
  return out;
}

/** PackBits (G.3.1): n in 0..127 copies n+1 literal bytes; n in -127..-1 repeats the next byte 1-n times; -128 no-op. */
function decodePackBits(src: Uint8Array, start: number, end: number, out: Uint8Array): void {
  let i = start;
  let o = 0;
  const n = out.length;
  out.fill(0);
  while (i < end && o < n) {
    const h = src[i++];
    if (h < 128) {
      const count = Math.min(h + 1, n - o, end - i);
      out.set(src.subarray(i, i + count), o);
      i += h + 1;
      o += count;
    } else if (h > 128) {
      const count = Math.min(257 - h, n - o);
      out.fill(src[i++], o, o + count);
      o += count;
    }
  }
}
