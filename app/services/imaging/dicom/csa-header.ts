// Reads values from a Siemens CSA image header (private element (0029,1010)), "SV10" layout:
// "SV10" + 4 bytes, uint32 tag count, uint32 unused; per tag: name[64], int32 vm, char vr[4], int32 syngodt,
// int32 nitems, int32 xx; per item: int32[4] (item length at [1]) then the value padded to 4 bytes.
// Source: nibabel's nibabel/nicom/csareader.py documentation of the format and dcm2niix's nii_dicom.cpp
// (csaMultiFloat / readCSAImageHeader); re-implemented here, only the fields Voxelbase needs.

export interface CsaValues {
  [name: string]: string[];
}

export function readCsaHeader(bytes: Uint8Array): CsaValues | null {
  if (bytes.length < 16) return null;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]);
  if (magic !== 'SV10') return null; // CSA1 (no magic) is rare and not needed here
  const nTags = dv.getUint32(8, true);
  if (nTags < 1 || nTags > 1000) return null;
  let pos = 16;
  const out: CsaValues = {};
  const text = (start: number, len: number) => {
    let s = '';
    for (let i = start; i < start + len && i < bytes.length; i++) {
      if (bytes[i] === 0) break;
      s += String.fromCharCode(bytes[i]);
    }
    return s;
  };
  for (let t = 0; t < nTags; t++) {
    if (pos + 84 > bytes.length) return out;
    const name = text(pos, 64);
    const nItems = dv.getInt32(pos + 76, true);
    pos += 84;
    const values: string[] = [];
    for (let i = 0; i < nItems; i++) {
      if (pos + 16 > bytes.length) return out;
      const itemLen = dv.getInt32(pos + 4, true);
      pos += 16;
      if (itemLen < 0 || pos + itemLen > bytes.length) return out;
      const v = text(pos, itemLen).trim();
      if (v.length > 0) values.push(v);
      pos += Math.ceil(itemLen / 4) * 4;
    }
    out[name] = values;
  }
  return out;
}
