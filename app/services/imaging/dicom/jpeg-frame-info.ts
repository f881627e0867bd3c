// The frame header (SOFn) of a JPEG stream, found by walking its marker segments (ITU-T T.81 B.1.1.2,
// B.2.2): coding process, sample precision, size and component count, read before any codec runs.
// The walk takes the same steps as DCMTK's DJCodecDecoder::scanJpegDataForBitDepth (which dcmjs-codecs
// runs before decoding) and refuses what that scan would loop on forever: the TEM marker (0xFF01), after
// which the scan does not move on.

export interface JpegFrameInfo {
  /** The SOF marker (0xFFC0 .. 0xFFCF): 0xFFC3 / 0xFFC7 lossless, 0xFFC0 baseline, 0xFFC1 extended. */
  marker: number;
  precision: number;
  height: number;
  width: number;
  components: number;
}

const SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/** The SOF of `jpeg`; throws an Error saying why when there is none (or the stream would hang the scan). */
export function jpegFrameInfo(jpeg: Uint8Array): JpegFrameInfo {
  const n = jpeg.length;
  const u16 = (i: number) => (jpeg[i] << 8) | jpeg[i + 1];
  let i = 0;
  while (i + 4 < n) {
    if (jpeg[i] !== 0xff) throw new Error(`not a JPEG stream: byte 0x${jpeg[i].toString(16)} at offset ${i} where a marker should be`);
    const m = jpeg[i + 1];
    if (SOF.has(m)) {
      if (i + 10 > n) break;
      return { marker: 0xff00 | m, precision: jpeg[i + 4], height: u16(i + 5), width: u16(i + 7), components: jpeg[i + 9] };
    }
    if (m === 0x01) throw new Error(`JPEG stream has a TEM marker (0xFF01) at offset ${i} before its frame header`);
    if (m === 0x00 || m === 0x02) throw new Error(`not a JPEG stream: 0xFF${m.toString(16).padStart(2, '0')} at offset ${i} where a marker should be`);
    if (m === 0xff) i += 1;
    else if ((m >= 0xd0 && m <= 0xd9) || (m > 0x02 && m <= 0xbf)) i += 2;
    else i += u16(i + 2) + 2; // DHT, DAC, DQT, DRI, SOS, DNL, DHP, EXP, APPn, JPGn, COM: length-prefixed
  }
  throw new Error('JPEG stream has no frame header (SOF marker)');
}
