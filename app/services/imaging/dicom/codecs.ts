// Compressed-frame codecs, loaded lazily (WASM): JPEG baseline 8-bit (libjpeg-turbo, @cornerstonejs),
// JPEG lossless (jpeg-lossless-decoder-js), JPEG-LS (CharLS), JPEG 2000 (OpenJPEG), HTJ2K (OpenJPH), and
// JPEG extended 12-bit through DCMTK's IJG 12-bit decoder compiled to WASM in dcmjs-codecs (no other
// JavaScript package decodes 12-bit DCT JPEG). Each returns the decoded samples as little-endian bytes.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface DecodedFrame {
  /** Little-endian sample bytes, interleaved when components > 1. */
  bytes: Uint8Array;
  width: number;
  height: number;
  bitsPerSample: number;
  components: number;
  signed?: boolean;
}

interface WasmDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  decode(): void;
  readHeader?(): void;
  getFrameInfo(): { width: number; height: number; bitsPerSample: number; componentCount: number; isSigned?: boolean };
  delete?(): void;
}
type WasmModule = Record<string, new () => WasmDecoder>;

const modules = new Map<string, Promise<WasmModule>>();

function loadModule(spec: string): Promise<WasmModule> {
  let p = modules.get(spec);
  if (!p) {
    const factory = require(spec) as ((opts?: object) => Promise<WasmModule>) | { default: (opts?: object) => Promise<WasmModule> };
    const f = typeof factory === 'function' ? factory : factory.default;
    p = f({ print: () => {}, printErr: () => {} });
    modules.set(spec, p);
  }
  return p;
}

async function wasmDecode(spec: string, className: string, encoded: Uint8Array): Promise<DecodedFrame> {
  const mod = await loadModule(spec);
  const decoder = new mod[className]();
  try {
    decoder.getEncodedBuffer(encoded.length).set(encoded);
    decoder.decode();
    const info = decoder.getFrameInfo();
    const bytes = decoder.getDecodedBuffer().slice();
    return {
      bytes,
      width: info.width,
      height: info.height,
      bitsPerSample: info.bitsPerSample,
      components: info.componentCount,
      signed: info.isSigned,
    };
  } finally {
    decoder.delete?.();
  }
}

export const decodeJpegBaseline = (e: Uint8Array) => wasmDecode('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs', 'JPEGDecoder', e);
export const decodeJpegLs = (e: Uint8Array) => wasmDecode('@cornerstonejs/codec-charls/decodewasmjs', 'JpegLSDecoder', e);
export const decodeJpeg2000 = (e: Uint8Array) => wasmDecode('@cornerstonejs/codec-openjpeg/decodewasmjs', 'J2KDecoder', e);
export const decodeHtj2k = (e: Uint8Array) => wasmDecode('@cornerstonejs/codec-openjph/wasmjs', 'HTJ2KDecoder', e);

interface LosslessDecoder {
  decode(buffer: ArrayBuffer, offset: number, length: number, numBytes: number): Uint8Array | Uint16Array | Int16Array;
}
interface LosslessModule {
  Decoder: new () => LosslessDecoder;
}

export function decodeJpegLossless(encoded: Uint8Array, width: number, height: number, bitsAllocated: number, components: number): DecodedFrame {
  const { Decoder } = require('jpeg-lossless-decoder-js') as LosslessModule;
  const bytesPerSample = bitsAllocated <= 8 ? 1 : 2;
  const copy = encoded.slice();
  const out = new Decoder().decode(copy.buffer, 0, copy.length, bytesPerSample);
  const bytes = new Uint8Array(out.buffer, out.byteOffset, out.byteLength).slice();
  return { bytes, width, height, bitsPerSample: bytesPerSample * 8, components };
}

interface DcmjsCodecs {
  NativeCodecs: {
    initializeAsync(opts?: { webAssemblyModulePathOrUrl?: string }): Promise<void>;
    isInitialized(): boolean;
    decodeJpeg(ctx: unknown, params?: { convertColorspaceToRgb?: boolean }): { getDecodedBuffer(): Uint8Array };
  };
  Context: new (attrs: Record<string, unknown>) => unknown;
}
let dcmjsInit: Promise<DcmjsCodecs> | null = null;

function loadDcmjsCodecs(): Promise<DcmjsCodecs> {
  if (!dcmjsInit) {
    dcmjsInit = (async () => {
      const lib = require('dcmjs-codecs') as DcmjsCodecs;
      const wasm = require.resolve('dcmjs-codecs').replace(/dcmjs-codecs\.min\.js$/, 'dcmjs-native-codecs.wasm');
      if (!lib.NativeCodecs.isInitialized()) await lib.NativeCodecs.initializeAsync({ webAssemblyModulePathOrUrl: wasm });
      return lib;
    })();
  }
  return dcmjsInit;
}

/** JPEG extended (process 2 & 4, 8 or 12 bits) via DCMTK's IJG decoders in dcmjs-codecs. */
export async function decodeJpegExtended(
  encoded: Uint8Array,
  attrs: { width: number; height: number; bitsAllocated: number; bitsStored: number; samplesPerPixel: number; pixelRepresentation: number; photometric: string },
): Promise<DecodedFrame> {
  const lib = await loadDcmjsCodecs();
  const ctx = new lib.Context({
    width: attrs.width,
    height: attrs.height,
    bitsAllocated: attrs.bitsAllocated,
    bitsStored: attrs.bitsStored,
    samplesPerPixel: attrs.samplesPerPixel,
    pixelRepresentation: attrs.pixelRepresentation,
    planarConfiguration: 0,
    photometricInterpretation: attrs.photometric,
    encodedBuffer: encoded,
  });
  const out = lib.NativeCodecs.decodeJpeg(ctx, { convertColorspaceToRgb: attrs.samplesPerPixel === 3 });
  const bytes = out.getDecodedBuffer().slice();
  return { bytes, width: attrs.width, height: attrs.height, bitsPerSample: attrs.bitsAllocated, components: attrs.samplesPerPixel };
}
