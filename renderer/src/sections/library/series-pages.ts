// Page cache behind the Library's virtualised lists (series in the flat table, patients in the grouped view):
// rows are fetched `pageSize` at a time as the visible range moves, each page once; a new query (filter/sort)
// bumps the generation so late answers for the old one are dropped. Pure apart from the injected fetch, so it
// can be unit-tested.
import type { SeriesPage, SeriesRow } from '../../../../app/contract/types.js';
import { messageOf } from '../../api/errors.js';

export type FetchPage<P> = (offset: number, limit: number) => Promise<P>;

export class PagedRows<T, P extends { total: number; rows: T[] } = { total: number; rows: T[] }> {
  readonly pageSize: number;
  #fetch: FetchPage<P>;
  #pages = new Map<number, T[] | Promise<void>>();
  #generation = 0;
  #onChange: () => void;
  total: number | null = null;
  error: string | null = null;
  /** The newest answer (for what a page carries besides its rows, e.g. a patient page's series total). */
  last: P | null = null;

  constructor(fetch: FetchPage<P>, onChange: () => void, pageSize = 200) {
    this.#fetch = fetch;
    this.#onChange = onChange;
    this.pageSize = pageSize;
  }

  /** Start over with another query (filters or sort changed). */
  reset(fetch: FetchPage<P>): void {
    this.#fetch = fetch;
    this.#generation++;
    this.#pages.clear();
    this.total = null;
    this.error = null;
    this.last = null;
  }

  row(index: number): T | undefined {
    const page = this.#pages.get(Math.floor(index / this.pageSize));
    return Array.isArray(page) ? page[index % this.pageSize] : undefined;
  }

  /** Make sure rows [start, end) are loaded or loading. The first call of a query loads page 0 for the total. */
  ensure(start: number, end: number): Promise<void> {
    const first = Math.floor(Math.max(0, start) / this.pageSize);
    const last = Math.floor(Math.max(0, end - 1) / this.pageSize);
    const waits: Promise<void>[] = [];
    for (let p = first; p <= last; p++) {
      if (this.total !== null && p * this.pageSize >= this.total) break;
      const have = this.#pages.get(p);
      if (have instanceof Promise) waits.push(have);
      else if (!have) waits.push(this.#load(p));
    }
    return Promise.all(waits).then(() => undefined);
  }

  #load(page: number): Promise<void> {
    const gen = this.#generation;
    const promise = this.#fetch(page * this.pageSize, this.pageSize).then(
      (res) => {
        if (gen !== this.#generation) return;
        this.total = res.total;
        this.last = res;
        this.#pages.set(page, res.rows);
        this.error = null;
        this.#onChange();
      },
      (err: unknown) => {
        if (gen !== this.#generation) return;
        this.#pages.delete(page);
        this.error = messageOf(err);
        this.#onChange();
      },
    );
    this.#pages.set(page, promise);
    return promise;
  }
}

/** The flat table's pages of `series:list`. */
export class SeriesPages extends PagedRows<SeriesRow, SeriesPage> {}
