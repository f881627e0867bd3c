// NIfTI datatype codes and sizes (nifti1.h: DT_UINT8 2, DT_INT16 4, DT_INT32 8, DT_FLOAT32 16,
// DT_FLOAT64 64, DT_RGB24 128, DT_INT8 256, DT_UINT16 512, DT_UINT32 768).
import type { NiftiDatatypeName, VoxelArray } from '../types.js';

export const DATATYPE_CODE: Record<NiftiDatatypeName, number> = {
  uint8: 2,
  int16: 4,
  int32: 8,
  float32: 16,
  float64: 64,
  rgb24: 128,
  int8: 256,
  uint16: 512,
  uint32: 768,
};

export const BITPIX: Record<NiftiDatatypeName, number> = {
  uint8: 8,
  int16: 16,
  int32: 32,
  float32: 32,
  float64: 64,
  rgb24: 24,
  int8: 8,
  uint16: 16,
  uint32: 32,
};

export function datatypeName(code: number): NiftiDatatypeName | null {
  for (const [name, c] of Object.entries(DATATYPE_CODE)) if (c === code) return name as NiftiDatatypeName;
  return null;
}

/** Typed array over little/big-endian bytes for a datatype (copied, so alignment and byte order are safe). */
export function typedFromBytes(name: NiftiDatatypeName, bytes: Uint8Array, littleEndian: boolean): VoxelArray {
  const size = BITPIX[name] / 8;
  const copy = new Uint8Array(bytes.length - (bytes.length % (name === 'rgb24' ? 1 : size)));
  copy.set(bytes.subarray(0, copy.length));
  if (!littleEndian && size > 1 && name !== 'rgb24') {
    for (let i = 0; i < copy.length; i += size) copy.subarray(i, i + size).reverse();
  }
  const ab = copy.buffer;
  switch (name) {
    case 'uint8':
    case 'rgb24':
      return new Uint8Array(ab);
    case 'int8':
      return new Int8Array(ab);
    case 'int16':
      return new Int16Array(ab);
    case 'uint16':
      return new Uint16Array(ab);
    case 'int32':
      return new Int32Array(ab);
    case 'uint32':
      return new Uint32Array(ab);
    case 'float32':
      return new Float32Array(ab);
    case 'float64':
      return new Float64Array(ab);
  }
}
