// Three orthogonal mid-slice thumbnails (axial, coronal, sagittal) as 8-bit grey, windowed between the
// 1st and 99th percentiles of the volume's real values (sampled: ./percentile-window.ts), resampled (bilinear) to at most
// `size` pixels on the long side with the physical aspect ratio kept.
import type { GrayImage8, SliceImage, ThumbnailOptions, Thumbnails, Volume } from '../types.js';
import { extractSlice } from './extract-slice.js';
import { percentileWindow } from './percentile-window.js';

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
