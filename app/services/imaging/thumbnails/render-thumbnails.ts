// Three orthogonal mid-slice thumbnails (axial, coronal, sagittal) as 8-bit grey, windowed between the
// 1st and 99th percentiles of the volume's real values (sampled), resampled (bilinear) to at most
// `size` pixels on the long side with the physical aspect ratio kept.
import type { GrayImage8, SliceImage, ThumbnailOptions, Thumbnails, Volume } from '../types.js';
import { extractSlice } from './extract-slice.js';

const MAX_SAMPLES = 200_000;

export function percentileWindow(volume: Volume, lowP: number, highP: number, t = 0): { low: number; high: number } {
  const comps = volume.components;
  const n = volume.dims[0] * volume.dims[1] * volume.dims[2];
  const base = t * n;
  const step = Math.max(1, Math.floor(n / MAX_SAMPLES));
  const slope = volume.sclSlope === 0 || !Number.isFinite(volume.sclSlope) ? 1 : volume.sclSlope;
  const inter = Number.isFinite(volume.sclInter) ? volume.sclInter : 0;
  const samples = new Float32Array(Math.ceil(n / step));
  let k = 0;
  for (let i = 0; i < n; i += step) {
    const p = base + i;
    const v = comps === 3 ? 0.299 * volume.data[3 * p] + 0.587 * volume.data[3 * p + 1] + 0.114 * volume.data[3 * p + 2] : volume.data[p] * slope + inter;
    if (Number.isFinite(v)) samples[k++] = v;
  }
  const s = samples.subarray(0, k).sort();
  if (k === 0) return { low: 0, high: 1 };
  const at = (p: number) => s[Math.min(k - 1, Math.max(0, Math.round((p / 100) * (k - 1))))];
  return { low: at(lowP), high: at(highP) };
}

export function windowTo8bit(slice: SliceImage, low: number, high: number, size: number): GrayImage8 {
  const physW = slice.width * (slice.pixelSize[0] || 1);
  const physH = slice.height * (slice.pixelSize[1] || 1);
  const scale = size / Math.max(physW, physH);
  const width = Math.max(1, Math.round(physW * scale));
  const height = Math.max(1, Math.round(physH * scale));
  const out = new Uint8Array(width * height);
  const range = high > low ? high - low : 1;
  for (let y = 0; y < height; y++) {
    const sy = Math.min(slice.height - 1, Math.max(0, ((y + 0.5) / height) * slice.height - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(slice.height - 1, y0 + 1);
    const fy = sy - y0;
    for (let x = 0; x < width; x++) {
      const sx = Math.min(slice.width - 1, Math.max(0, ((x + 0.5) / width) * slice.width - 0.5));
      const x0 = Math.floor(sx);
      const x1 = Math.min(slice.width - 1, x0 + 1);
      const fx = sx - x0;
      const d = slice.data;
      const v =
        (d[y0 * slice.width + x0] * (1 - fx) + d[y0 * slice.width + x1] * fx) * (1 - fy) +
        (d[y1 * slice.width + x0] * (1 - fx) + d[y1 * slice.width + x1] * fx) * fy;
      const g = ((v - low) / range) * 255;
      out[y * width + x] = g <= 0 ? 0 : g >= 255 ? 255 : Math.round(g);
    }
  }
  return { width, height, data: out };
}

export function renderThumbnails(volume: Volume, options: ThumbnailOptions = {}): Thumbnails {
  const size = options.size ?? 128;
  const [lowP, highP] = options.percentiles ?? [1, 99];
  const t = options.t ?? 0;
  const { low, high } = percentileWindow(volume, lowP, highP, t);
  const make = (axis: 'axial' | 'coronal' | 'sagittal') => windowTo8bit(extractSlice(volume, axis, undefined, t), low, high, size);
  return { axial: make('axial'), coronal: make('coronal'), sagittal: make('sagittal'), window: { low, high } };
}
