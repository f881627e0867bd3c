// Loaded series volumes kept for the slice viewer (scrolling asks for many slices of one series):
// a small LRU bounded by count and bytes, keyed by series id + updated_at so a re-import invalidates it.
import type { Volume } from '../imaging/index.js';
import { loadSeriesVolume, pickVolume, type SeriesSource } from '../import/index.js';

const MAX_ENTRIES = 3;
const MAX_BYTES = 1024 * 1024 * 1024;

const cache = new Map<string, Promise<Volume>>();
const sizes = new Map<string, number>();

export async function cachedVolume(id: number, version: string, src: SeriesSource, t: number): Promise<Volume> {
  // NIfTI loads one 3-D volume at a time; a DICOM plan loads all of its volumes once.
  const key = src.kind === 'nifti' ? `${id}@${version}#${t}` : `${id}@${version}`;
  let p = cache.get(key);
  if (p) {
    cache.delete(key);
    cache.set(key, p);
  } else {
    p = loadSeriesVolume(src, t);
    cache.set(key, p);
    p.then(
      (v) => {
        sizes.set(key, v.data.byteLength);
        evict();
      },
      () => {
        cache.delete(key);
        sizes.delete(key);
      },
    );
  }
  const v = await p;
  return src.kind === 'nifti' ? v : pickVolume(v, t);
}

function evict(): void {
  let total = [...sizes.values()].reduce((a, b) => a + b, 0);
  for (const key of cache.keys()) {
    if (cache.size <= 1) break;
    if (cache.size <= MAX_ENTRIES && total <= MAX_BYTES) break;
    cache.delete(key);
    total -= sizes.get(key) ?? 0;
    sizes.delete(key);
  }
}

export function clearVolumeCache(): void {
  cache.clear();
  sizes.clear();
}
