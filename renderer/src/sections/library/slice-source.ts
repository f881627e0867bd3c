// The slices of one series for one viewer (pure apart from the injected fetch): `series:slice` answers decoded
// once and kept in a small LRU, the middle slice also under its own index, failed fetches forgotten so a retry
// asks again, and neighbours prefetched. One per viewer instance, so two viewers side by side never share state.
import type { SeriesAxis, SeriesSlice, VoxelArray } from '../../../../app/contract/types.js';
import { decodeSamples } from './window-level.js';

export interface LoadedSlice {
  meta: SeriesSlice;
  samples: VoxelArray;
}

export type FetchSlice = (axis: SeriesAxis, volume: number, index: number | null) => Promise<SeriesSlice>;

export class SliceSource {
  readonly #fetch: FetchSlice;
  readonly #max: number;
  readonly #cache = new Map<string, Promise<LoadedSlice>>();

  constructor(fetch: FetchSlice, max = 160) {
    this.#fetch = fetch;
    this.#max = max;
  }

  static key(axis: SeriesAxis, volume: number, index: number | null): string {
    return `${axis}/${volume}/${index ?? 'mid'}`;
  }

  /** Slice `index` (null: the middle one) of `axis` in volume `volume` (0-based). */
  get(axis: SeriesAxis, volume: number, index: number | null): Promise<LoadedSlice> {
    const k = SliceSource.key(axis, volume, index);
    const hit = this.#cache.get(k);
    if (hit) {
      this.#cache.delete(k); // most recently used last
      this.#cache.set(k, hit);
      return hit;
    }
    const p = this.#fetch(axis, volume, index).then((meta) => ({ meta, samples: decodeSamples(meta.data, meta.dtype) }));
    p.then(
      (loaded) => {
        if (index === null) this.#cache.set(SliceSource.key(axis, volume, loaded.meta.index), p);
      },
      () => this.#cache.delete(k),
    );
    this.#cache.set(k, p);
    while (this.#cache.size > this.#max) {
      const oldest = this.#cache.keys().next().value;
      if (oldest === undefined) break;
      this.#cache.delete(oldest);
    }
    return p;
  }

  /** Ask for the slices `around` index `i` (offsets), within [0, count), ignoring failures. */
  prefetch(axis: SeriesAxis, volume: number, i: number, count: number, around: readonly number[] = [1, -1, 2]): void {
    for (const d of around) {
      const j = i + d;
      if (j >= 0 && j < count && !this.#cache.has(SliceSource.key(axis, volume, j))) this.get(axis, volume, j).catch(() => {});
    }
  }
}
