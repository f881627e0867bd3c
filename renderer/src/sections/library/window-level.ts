// Window/level for the slice viewer: presets (MR presets name percentiles of the volume, which series:slice
// carries: the series service computes them with the imaging core's percentile window), decoding the raw
// slice the server sends, and mapping intensities to 8-bit grey.
// The linear window follows DICOM PS3.3 C.11.2.1.2.1 (VOI LUT Function LINEAR):
//   y = ((x - (c - 0.5)) / (w - 1) + 0.5) * (ymax - ymin) + ymin, clipped to [ymin, ymax].
// CT presets are the usual radiology reading windows (e.g. Radiopaedia, "Windowing (CT)"):
//   brain 40/80, soft tissue 40/400, lung -600/1500, bone 300/1500 (level/width).
import type { VoxelArray } from '../../../../app/contract/types.js';

export interface WindowLevel {
  /** Window centre (level). */
  center: number;
  /** Window width, >= 1. */
  width: number;
}

export interface WindowPreset extends WindowLevel {
  id: string;
  label: string;
}

export const CT_PRESETS: readonly WindowPreset[] = [
  { id: 'brain', label: 'Brain', center: 40, width: 80 },
  { id: 'soft', label: 'Soft tissue', center: 40, width: 400 },
  { id: 'lung', label: 'Lung', center: -600, width: 1500 },
  { id: 'bone', label: 'Bone', center: 300, width: 1500 },
];

/** MR has no absolute scale: its presets are percentile ranges of the volume (SeriesSlice.percentiles). */
export interface PercentilePreset {
  id: string;
  label: string;
  low: number;
  high: number;
}

export const MR_PRESETS: readonly PercentilePreset[] = [
  { id: 'auto', label: 'Auto (1–99%)', low: 1, high: 99 },
  { id: 'wide', label: 'Wide (0.1–99.9%)', low: 0.1, high: 99.9 },
  { id: 'narrow', label: 'Contrast (5–95%)', low: 5, high: 95 },
];

/** Decode base64 raw little-endian samples into the typed array named by `dtype`. */
export function decodeSamples(base64: string, dtype: string): VoxelArray {
  const bin = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return samplesFromBytes(bytes, dtype);
}

/** View raw little-endian bytes as the typed array named by `dtype` (copying when misaligned). */
export function samplesFromBytes(bytes: Uint8Array<ArrayBuffer>, dtype: string): VoxelArray {
  const ctor = typedArrayFor(dtype);
  const size = ctor.BYTES_PER_ELEMENT;
  if (bytes.byteLength % size !== 0) {
    throw new RangeError(`slice data of ${bytes.byteLength} bytes is not a whole number of ${dtype} samples`);
  }
  const aligned = bytes.byteOffset % size === 0 ? bytes : bytes.slice();
  return new ctor(aligned.buffer, aligned.byteOffset, aligned.byteLength / size);
}

function typedArrayFor(dtype: string) {
  switch (dtype) {
    case 'uint8':
      return Uint8Array;
    case 'int8':
      return Int8Array;
    case 'uint16':
      return Uint16Array;
    case 'int16':
      return Int16Array;
    case 'uint32':
      return Uint32Array;
    case 'int32':
      return Int32Array;
    case 'float32':
      return Float32Array;
    case 'float64':
      return Float64Array;
    default:
      throw new TypeError(`unknown slice dtype '${dtype}'`);
  }
}

/**
 * Map samples through a linear window (DICOM C.11.2.1.2.1) into RGBA grey pixels.
 * `out` has 4 * data.length bytes; alpha is set to 255.
 */
export function applyWindow(data: ArrayLike<number>, wl: WindowLevel, out: Uint8ClampedArray): void {
  const w = Math.max(1, wl.width);
  const lo = wl.center - 0.5 - (w - 1) / 2;
  const k = 255 / Math.max(1e-12, w - 1);
  for (let i = 0, j = 0; i < data.length; i++, j += 4) {
    const v = data[i];
    const g = Number.isFinite(v) ? (v - lo) * k : 0; // Uint8ClampedArray clamps and rounds
    out[j] = g;
    out[j + 1] = g;
    out[j + 2] = g;
    out[j + 3] = 255;
  }
}

/**
 * CSS size for a slice of `cols` x `rows` samples with in-plane spacing (column step, row step) in mm, fitted
 * inside `maxW` x `maxH` CSS pixels with square physical pixels: physical width = cols * colSpacing.
 */
export function fitDisplaySize(
  cols: number,
  rows: number,
  spacing: readonly [number, number],
  maxW: number,
  maxH: number,
): { width: number; height: number } {
  const sx = spacing[0] > 0 && Number.isFinite(spacing[0]) ? spacing[0] : 1;
  const sy = spacing[1] > 0 && Number.isFinite(spacing[1]) ? spacing[1] : 1;
  const physW = cols * sx;
  const physH = rows * sy;
  if (physW <= 0 || physH <= 0 || maxW <= 0 || maxH <= 0) return { width: 0, height: 0 };
  const scale = Math.min(maxW / physW, maxH / physH);
  return { width: Math.max(1, Math.floor(physW * scale)), height: Math.max(1, Math.floor(physH * scale)) };
}

/**
 * Window/level change for a mouse drag of (dx, dy) CSS pixels, as in most PACS viewers: horizontal changes the
 * width, vertical the level; the step scales with the current width so both CT and MR ranges feel the same.
 */
export function dragWindow(start: WindowLevel, dx: number, dy: number): WindowLevel {
  const step = Math.max(start.width, 1) / 256;
  return {
    center: start.center + dy * step,
    width: Math.max(1, start.width + dx * step * 2),
  };
}

/** Whether a modality is CT-like (Hounsfield units): CT presets then apply. */
export function isHounsfield(modality: string | null | undefined): boolean {
  return (modality ?? '').toUpperCase() === 'CT';
}
