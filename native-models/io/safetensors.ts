// Read and write safetensors files: named tensors in and out.
// Format (https://github.com/huggingface/safetensors, README "Format"):
//   8 bytes: N, little-endian u64, the size of the header;
//   N bytes: UTF-8 JSON {"__metadata__"?: {str: str}, NAME: {dtype, shape, data_offsets: [begin, end]}},
//            padded with spaces (0x20) so that the byte buffer starts 8-byte aligned (as the reference writer does);
//   rest:    the byte buffer, little-endian, C order; offsets are relative to its start; it must be fully
//            covered by tensors, without holes or overlaps.
// The writer orders tensors by element size (largest first) and then by name, like the reference writer, so every
// tensor is aligned to its element size.
import { readFile, writeFile } from 'node:fs/promises';
import { NativeModelsError } from '../ir/errors.js';

export class SafetensorsError extends NativeModelsError {}

/** Element types, named as onnxruntime-node names them, so tensors pass to ORT unchanged. */
export type TensorDtype = 'float32' | 'float64' | 'float16' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64' | 'bool';

export type TensorData =
  | Float32Array | Float64Array | Uint16Array | Int8Array | Uint8Array | Int16Array
  | Int32Array | Uint32Array | BigInt64Array | BigUint64Array;

export interface NamedTensor {
  dtype: TensorDtype;
  dims: readonly number[];
  data: TensorData;
}

export type TensorMap = Record<string, NamedTensor>;

interface DtypeInfo { st: string; size: number; make: (buf: ArrayBuffer, off: number, n: number) => TensorData }

const DTYPES: Record<TensorDtype, DtypeInfo> = {
  float64: { st: 'F64', size: 8, make: (b, o, n) => new Float64Array(b, o, n) },
  int64: { st: 'I64', size: 8, make: (b, o, n) => new BigInt64Array(b, o, n) },
  uint64: { st: 'U64', size: 8, make: (b, o, n) => new BigUint64Array(b, o, n) },
  float32: { st: 'F32', size: 4, make: (b, o, n) => new Float32Array(b, o, n) },
  int32: { st: 'I32', size: 4, make: (b, o, n) => new Int32Array(b, o, n) },
  uint32: { st: 'U32', size: 4, make: (b, o, n) => new Uint32Array(b, o, n) },
  float16: { st: 'F16', size: 2, make: (b, o, n) => new Uint16Array(b, o, n) },
  int16: { st: 'I16', size: 2, make: (b, o, n) => new Int16Array(b, o, n) },
  uint16: { st: 'U16', size: 2, make: (b, o, n) => new Uint16Array(b, o, n) },
  int8: { st: 'I8', size: 1, make: (b, o, n) => new Int8Array(b, o, n) },
  uint8: { st: 'U8', size: 1, make: (b, o, n) => new Uint8Array(b, o, n) },
  bool: { st: 'BOOL', size: 1, make: (b, o, n) => new Uint8Array(b, o, n) },
};

const FROM_ST: Record<string, TensorDtype> = Object.fromEntries(
  Object.entries(DTYPES).map(([k, v]) => [v.st, k as TensorDtype]),
);

const numel = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

/** Serialise named tensors (and optional string metadata) to safetensors bytes. */
export function encodeSafetensors(tensors: TensorMap, metadata?: Record<string, string>): Uint8Array {
  const names = Object.keys(tensors).sort((a, b) => {
    const d = DTYPES[tensors[b].dtype].size - DTYPES[tensors[a].dtype].size;
    return d !== 0 ? d : a < b ? -1 : a > b ? 1 : 0;
  });
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const name of names) {
    if (name === '__metadata__') throw new SafetensorsError('safetensors: a tensor cannot be named __metadata__');
    const t = tensors[name];
    const info = DTYPES[t.dtype];
    if (!info) throw new SafetensorsError(`safetensors: tensor ${name} has unsupported dtype ${t.dtype}`);
    if (numel(t.dims) !== t.data.length) {
      throw new SafetensorsError(`safetensors: tensor ${name} has ${t.data.length} elements, shape [${t.dims.join(',')}] needs ${numel(t.dims)}`);
    }
    const bytes = t.data.length * info.size;
    header[name] = { dtype: info.st, shape: [...t.dims], data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = Buffer.from(JSON.stringify(header), 'utf8');
  const pad = (8 - ((8 + json.length) % 8)) % 8;
  if (pad > 0) json = Buffer.concat([json, Buffer.alloc(pad, 0x20)]);
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let pos = 8 + json.length;
  for (const name of names) {
    const d = tensors[name].data;
    out.set(new Uint8Array(d.buffer, d.byteOffset, d.byteLength), pos);
    pos += d.byteLength;
  }
  return out;
}

export interface DecodedSafetensors { tensors: TensorMap; metadata: Record<string, string> }

/** Parse safetensors bytes; validates offsets (in range, no holes or overlaps) and sizes. `source` names the file in errors. */
export function decodeSafetensors(bytes: Uint8Array, source = '<buffer>'): DecodedSafetensors {
  if (bytes.length < 8) throw new SafetensorsError(`safetensors ${source}: file shorter than its 8-byte header length`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(dv.getBigUint64(0, true));
  if (8 + n > bytes.length) throw new SafetensorsError(`safetensors ${source}: header length ${n} exceeds file size ${bytes.length}`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + 8, n).toString('utf8'));
  } catch (e) {
    throw new SafetensorsError(`safetensors ${source}: header is not valid JSON (${(e as Error).message})`);
  }
  const dataStart = 8 + n;
  const dataLen = bytes.length - dataStart;
  const metadata = (header.__metadata__ ?? {}) as Record<string, string>;
  const spans: [number, number, string][] = [];
  const tensors: TensorMap = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const e = entry as { dtype: string; shape: number[]; data_offsets: [number, number] };
    const dtype = FROM_ST[e.dtype];
    if (!dtype) throw new SafetensorsError(`safetensors ${source}: tensor ${name} has unsupported dtype ${e.dtype}`);
    const info = DTYPES[dtype];
    const [begin, end] = e.data_offsets;
    const count = numel(e.shape);
    if (!(begin >= 0 && end >= begin && end <= dataLen)) {
      throw new SafetensorsError(`safetensors ${source}: tensor ${name} offsets [${begin}, ${end}] outside the ${dataLen}-byte buffer`);
    }
    if (end - begin !== count * info.size) {
      throw new SafetensorsError(`safetensors ${source}: tensor ${name} spans ${end - begin} bytes, shape [${e.shape.join(',')}] ${e.dtype} needs ${count * info.size}`);
    }
    spans.push([begin, end, name]);
    // Copy into a fresh, aligned buffer: the file's bytes need not be aligned in memory.
    const copy = new ArrayBuffer(end - begin);
    new Uint8Array(copy).set(bytes.subarray(dataStart + begin, dataStart + end));
    tensors[name] = { dtype, dims: e.shape, data: info.make(copy, 0, count) };
  }
  spans.sort((a, b) => a[0] - b[0]);
  let cursor = 0;
  for (const [begin, end, name] of spans) {
    if (begin !== cursor) throw new SafetensorsError(`safetensors ${source}: tensor ${name} starts at ${begin}, expected ${cursor} (hole or overlap)`);
    cursor = end;
  }
  if (cursor !== dataLen) throw new SafetensorsError(`safetensors ${source}: ${dataLen - cursor} trailing bytes not covered by any tensor`);
  return { tensors, metadata };
}

export async function readSafetensors(path: string): Promise<DecodedSafetensors> {
  return decodeSafetensors(await readFile(path), path);
}

export async function writeSafetensors(path: string, tensors: TensorMap, metadata?: Record<string, string>): Promise<void> {
  await writeFile(path, encodeSafetensors(tensors, metadata));
}
