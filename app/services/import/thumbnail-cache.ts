// The thumbnail cache: three orthogonal PNGs per series under <dataDir>/thumbnails/<seriesId>-<axis>.png,
// written at import (in the worker that loaded the volume) and rebuilt on demand when missing.
import fs from 'node:fs';
import path from 'node:path';
import { encodePng, renderThumbnails, type Volume } from '../imaging/index.js';

export const AXES = ['axial', 'coronal', 'sagittal'] as const;
export type ThumbAxis = (typeof AXES)[number];

export function thumbnailDir(dataDir: string): string {
  return path.join(dataDir, 'thumbnails');
}

export function thumbnailPath(dataDir: string, seriesId: number, axis: ThumbAxis): string {
  return path.join(thumbnailDir(dataDir), `${seriesId}-${axis}.png`);
}

export interface WrittenThumb {
  axis: ThumbAxis;
  width: number;
  height: number;
}

/** Renders and writes the three thumbnails of a volume (atomically: temp file + rename). */
export function writeThumbnails(dataDir: string, seriesId: number, volume: Volume, size = 128): WrittenThumb[] {
  const thumbs = renderThumbnails(volume, { size });
  fs.mkdirSync(thumbnailDir(dataDir), { recursive: true });
  const out: WrittenThumb[] = [];
  for (const axis of AXES) {
    const img = thumbs[axis];
    const file = thumbnailPath(dataDir, seriesId, axis);
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    fs.writeFileSync(tmp, encodePng(img));
    fs.renameSync(tmp, file);
    out.push({ axis, width: img.width, height: img.height });
  }
  return out;
}

export function removeThumbnails(dataDir: string, seriesId: number): void {
  for (const axis of AXES) fs.rmSync(thumbnailPath(dataDir, seriesId, axis), { force: true });
}
