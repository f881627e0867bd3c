// Lazy thumbnail loading for the library table: at most MAX_CONCURRENT `series:thumbnail` calls in flight,
// requests from rows that scrolled away before their turn are dropped, and results are kept in a small LRU
// cache so scrolling back does not ask again. Pure scheduling; the fetch function is injected.
import type { SeriesAxis, SeriesThumbnail } from '../../../../app/contract/types.js';

export type FetchThumbnail = (id: number, axis: SeriesAxis) => Promise<SeriesThumbnail>;

interface Pending {
  key: string;
  id: number;
  axis: SeriesAxis;
  cancelled: boolean;
  resolve: (t: SeriesThumbnail) => void;
  reject: (e: unknown) => void;
}

export class ThumbnailLoader {
  readonly #fetch: FetchThumbnail;
  readonly #maxConcurrent: number;
  readonly #cacheSize: number;
  readonly #cache = new Map<string, SeriesThumbnail>();
  readonly #queue: Pending[] = [];
  #running = 0;

  constructor(fetch: FetchThumbnail, maxConcurrent = 6, cacheSize = 1500) {
    this.#fetch = fetch;
    this.#maxConcurrent = maxConcurrent;
    this.#cacheSize = cacheSize;
  }

  /** A cached thumbnail, or undefined. */
  peek(id: number, axis: SeriesAxis): SeriesThumbnail | undefined {
    return this.#cache.get(`${id}/${axis}`);
  }

  /**
   * Ask for a thumbnail. `cancel()` drops the request if it has not started (the row left the screen);
   * the promise then never settles, which is what an unmounted row wants.
   */
  request(id: number, axis: SeriesAxis): { promise: Promise<SeriesThumbnail>; cancel: () => void } {
    const key = `${id}/${axis}`;
    const hit = this.#cache.get(key);
    if (hit) {
      this.#cache.delete(key);
      this.#cache.set(key, hit); // refresh LRU position
      return { promise: Promise.resolve(hit), cancel: () => {} };
    }
    let pending!: Pending;
    const promise = new Promise<SeriesThumbnail>((resolve, reject) => {
      pending = { key, id, axis, cancelled: false, resolve, reject };
    });
    this.#queue.push(pending);
    this.#pump();
    return {
      promise,
      cancel: () => {
        pending.cancelled = true;
      },
    };
  }

  /** Forget cached thumbnails (after a re-import changed series). */
  clear(): void {
    this.#cache.clear();
  }

  #pump(): void {
    while (this.#running < this.#maxConcurrent && this.#queue.length > 0) {
      // Newest first: the rows the user is looking at now were requested last.
      const next = this.#queue.pop() as Pending;
      if (next.cancelled) continue;
      this.#running++;
      this.#fetch(next.id, next.axis)
        .then((thumb) => {
          this.#remember(next.key, thumb);
          next.resolve(thumb);
        })
        .catch((err: unknown) => next.reject(err))
        .finally(() => {
          this.#running--;
          this.#pump();
        });
    }
    // Drop cancelled requests so the queue does not grow while the user flings through 10k rows.
    for (let i = this.#queue.length - 1; i >= 0; i--) if (this.#queue[i]?.cancelled) this.#queue.splice(i, 1);
  }

  #remember(key: string, thumb: SeriesThumbnail): void {
    this.#cache.set(key, thumb);
    while (this.#cache.size > this.#cacheSize) {
      const oldest = this.#cache.keys().next().value;
      if (oldest === undefined) break;
      this.#cache.delete(oldest);
    }
  }
}
