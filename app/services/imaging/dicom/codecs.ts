// Compressed-frame codecs, loaded lazily (WASM): JPEG baseline 8-bit (libjpeg-turbo, @cornerstonejs),
// JPEG-LS (CharLS), JPEG 2000 (OpenJPEG), HTJ2K (OpenJPH), and JPEG lossless (process 14, every selection
// value, 2-16 bits) and JPEG extended 12-bit through DCMTK's IJG decoders compiled to WASM in dcmjs-codecs:
// the code dcmdjpeg itself runs. Each returns the decoded samples as little-endian bytes, or throws an Error
// saying what the codec reported (a codec that decodes nothing is an error, never an empty frame).
import { createRequire } from 'node:module';
import { jpegFrameInfo } from './jpeg-frame-info.js';

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

/** What the WASM codecs print while one frame decodes (OpenJPEG reports its errors only there). */
const codecOutput: string[] = [];
const collect = (line: string) => {
  if (codecOutput.length < 64) codecOutput.push(String(line));
};

function loadModule(spec: string): Promise<WasmModule> {
  let p = modules.get(spec);
  if (!p) {
    const factory = require(spec) as ((opts?: object) => Promise<WasmModule>) | { default: (opts?: object) => Promise<WasmModule> };
    const f = typeof factory === 'function' ? factory : factory.default;
    p = f({ print: collect, printErr: collect });
    modules.set(spec, p);
  }
  return p;
}

/** The codec's own error lines (OpenJPEG's "[ERROR] ..."), or `fallback`. */
function codecErrors(fallback: string): string {
  const errors = codecOutput.filter((l) => /error|fail|invalid|corrupt/i.test(l)).map((l) => l.replace(/^\[ERROR\]\s*/, ''));
  return errors.length ? errors.join('; ') : fallback;
}

async function wasmDecode(spec: string, className: string, encoded: Uint8Array): Promise<DecodedFrame> {
  const mod = await loadModule(spec);
  const decoder = new mod[className]();
  codecOutput.length = 0;
  try {
    decoder.getEncodedBuffer(encoded.length).set(encoded);
    try {
      decoder.decode();
    } catch (e) {
      // Emscripten builds without exception support throw the C++ exception as a bare pointer (a number).
      throw new Error(codecErrors(e instanceof Error ? e.message : `the ${className} codec failed (${String(e)})`), { cause: e });
    }
    const info = decoder.getFrameInfo();
    if (!info.width || !info.height || !info.componentCount) {
      throw new Error(codecErrors(`the ${className} codec decoded no image (${info.width}x${info.height}, ${info.componentCount} components)`));
    }
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

interface DcmjsCodecs {
  NativeCodecs: {
    initializeAsync(opts?: { webAssemblyModulePathOrUrl?: string }): Promise<void>;
    isInitialized(): boolean;
    release(): void;
    decodeJpeg(ctx: unknown, params?: { convertColorspaceToRgb?: boolean }): { getDecodedBuffer(): Uint8Array };
    /** Static switch read on every message the native codecs emit (dcmjs-codecs' onCodecsInfo). */
    logCodecsInfo: boolean;
  };
  Context: new (attrs: Record<string, unknown>) => unknown;
  /** The loglevel logger dcmjs-codecs writes codec messages to. */
  log: { info: (...args: unknown[]) => void };
}
let dcmjsInit: Promise<DcmjsCodecs> | null = null;
let dcmjsFailures = 0;

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

/**
 * IJG warnings after which the decoded frame is not the encoded one (jerror.h: JWRN_HIT_MARKER,
 * JWRN_JPEG_EOF, JWRN_HUFF_BAD_CODE, JWRN_MUST_RESYNC): IJG fills what it could not read with zero
 * differences and goes on, and dcmjs-codecs only logs the warning. "N extraneous bytes before marker"
 * (JWRN_EXTRANEOUS_DATA: padding after the last scan) leaves the frame whole and stays a warning.
 */
const IJG_DATA_LOST = /premature end|bad huffman code|found marker 0x[0-9a-f]+ instead of RST|corrupt jpeg data(?!: \d+ extraneous bytes)/i;

export interface DcmtkJpegAttrs {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  pixelRepresentation: number;
  photometric: string;
}

/**
 * A JPEG frame decoded by DCMTK's IJG 8/12/16-bit decoders (dcmjs-codecs): lossless process 14 with any
 * selection value and precision 2-16, and extended 12-bit DCT. The SOF is checked against the DICOM
 * header before the codec runs (size and components); samples come out as 1 byte (precision <= 8) or
 * 2 bytes. `convertToRgb`: YCbCr to RGB for lossy colour frames (never for lossless: the samples are
 * returned as encoded and the Photometric Interpretation says what they are).
 */
export async function decodeJpegDcmtk(encoded: Uint8Array, h: DcmtkJpegAttrs, convertToRgb: boolean): Promise<DecodedFrame> {
  const sof = jpegFrameInfo(encoded);
  if (sof.width !== h.columns || sof.height !== h.rows) {
    throw new Error(`JPEG frame is ${sof.width}x${sof.height}, header says ${h.columns}x${h.rows}`);
  }
  if (sof.components !== h.samplesPerPixel) throw new Error(`JPEG frame has ${sof.components} components, header says ${h.samplesPerPixel}`);
  if (sof.precision < 2 || sof.precision > 16) throw new Error(`JPEG sample precision ${sof.precision} is outside 2..16`);
  const bitsPerSample = sof.precision > 8 ? 16 : 8;
  const lib = await loadDcmjsCodecs();
  const ctx = new lib.Context({
    width: sof.width,
    height: sof.height,
    bitsAllocated: bitsPerSample,
    bitsStored: sof.precision,
    samplesPerPixel: sof.components,
    pixelRepresentation: h.pixelRepresentation,
    planarConfiguration: 0,
    photometricInterpretation: h.photometric,
    encodedBuffer: encoded,
  });
  const messages: string[] = [];
  const savedInfo = lib.log.info;
  lib.NativeCodecs.logCodecsInfo = true;
  lib.log.info = (...args: unknown[]) => {
    if (messages.length < 64) messages.push(args.map(String).join(' '));
  };
  let bytes: Uint8Array;
  try {
    bytes = lib.NativeCodecs.decodeJpeg(ctx, { convertColorspaceToRgb: convertToRgb && sof.components === 3 }).getDecodedBuffer().slice();
  } catch (e) {
    // The exception left the WASM call without unwinding it: dcmjs-codecs' context and IJG's memory for
    // this frame stay allocated in the module. Start a fresh module now and then so that a folder of
    // damaged files cannot grow it without bound.
    if (++dcmjsFailures >= 16) {
      dcmjsFailures = 0;
      dcmjsInit = null;
      lib.NativeCodecs.release();
    }
    throw new Error(`DCMTK's JPEG decoder failed: ${(e as Error).message.replace(/^.*::/, '')}`, { cause: e });
  } finally {
    lib.log.info = savedInfo;
    lib.NativeCodecs.logCodecsInfo = false;
  }
  const lost = messages.map((m) => m.replace(/^.*::/, '')).filter((m) => IJG_DATA_LOST.test(m));
  if (lost.length) throw new Error(`JPEG data damaged (DCMTK's decoder: ${[...new Set(lost)].join('; ')})`);
  const expected = sof.width * sof.height * sof.components * (bitsPerSample / 8);
  if (bytes.length !== expected) throw new Error(`DCMTK's JPEG decoder gave ${bytes.length} bytes, expected ${expected}`);
  return { bytes, width: sof.width, height: sof.height, bitsPerSample, components: sof.components };
}
