// Three orthogonal mid-slice thumbnails, windowed by percentiles. Not implemented yet.
import type { ThumbnailOptions, Thumbnails, Volume } from '../types.js';

export function renderThumbnails(volume: Volume, options?: ThumbnailOptions): Thumbnails {
  void volume; void options;
  throw new Error('not implemented');
}
