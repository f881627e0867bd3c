// The Library's multi-selection of series (pure; selection.svelte.ts makes it reactive for the screens).
// Two modes: explicit ids (click, shift-click, ctrl/cmd-click, a patient's or study's checkbox), or "all series
// matching the filter" minus the ones unticked since, which stays cheap at 100,000 series: `resolve()` asks
// `series:ids` for the ids only when an action needs them. `filter` is always the Library's current
// `series:list` filter.
import type { SeriesFilter } from '../../../../app/contract/calls/series.js';

/** `series:ids` for a filter (injected: the Library passes the API's call). */
export type IdsOf = (filter: SeriesFilter) => Promise<number[]>;

export class SelectionModel {
  /** Explicit picks, or (in "all matching" mode) the series unticked since. */
  readonly #ids = new Set<number>();
  #all = false;
  /** How many series match `filter` (the Library's total), for the count in "all matching" mode. */
  #matching = 0;
  #filter: SeriesFilter = {};
  /** Row index of the last plain or ctrl/cmd click in the flat table: the other end of a shift-click range. */
  anchor: number | null = null;
  readonly #idsOf: IdsOf;

  constructor(idsOf: IdsOf) {
    this.#idsOf = idsOf;
  }

  /** The Library's current series:list filter. */
  get filter(): SeriesFilter {
    return this.#filter;
  }

  /** True while every series matching `filter` is selected (minus the ones unticked since). */
  get allMatching(): boolean {
    return this.#all;
  }

  /** True when the selection is exactly the filter's match: an action may keep the filter instead of ids. */
  get wholeFilter(): boolean {
    return this.#all && this.#ids.size === 0;
  }

  /** Number of selected series. */
  get count(): number {
    return this.#all ? Math.max(0, this.#matching - this.#ids.size) : this.#ids.size;
  }

  has(id: number): boolean {
    return this.#all ? !this.#ids.has(id) : this.#ids.has(id);
  }

  /** Select exactly these (a plain click). */
  set(ids: readonly number[]): void {
    this.#all = false;
    this.#ids.clear();
    for (const id of ids) this.#ids.add(id);
  }

  add(ids: readonly number[]): void {
    for (const id of ids) {
      if (this.#all) this.#ids.delete(id);
      else this.#ids.add(id);
    }
  }

  remove(ids: readonly number[]): void {
    for (const id of ids) {
      if (this.#all) this.#ids.add(id);
      else this.#ids.delete(id);
    }
  }

  /** ctrl/cmd-click or a checkbox: flip one series. */
  toggle(id: number): void {
    if (this.has(id)) this.remove([id]);
    else this.add([id]);
  }

  /** Every series matching the current filter (`total` of them). */
  selectAllMatching(total: number): void {
    this.#all = true;
    this.#matching = total;
    this.#ids.clear();
  }

  /** The Library's filter or total changed: explicit picks stay; "all matching" meant the old filter, so it ends. */
  setFilter(filter: SeriesFilter, total: number | null): void {
    const changed = JSON.stringify(filter) !== JSON.stringify(this.#filter);
    this.#filter = filter;
    if (changed && this.#all) this.clear();
    else if (total !== null) this.#matching = total;
  }

  clear(): void {
    this.#all = false;
    this.#ids.clear();
    this.anchor = null;
  }

  /** The selected series ids, ascending (asks `series:ids` in "all matching" mode). */
  async resolve(): Promise<number[]> {
    if (!this.#all) return [...this.#ids].sort((a, b) => a - b);
    const excluded = new Set(this.#ids);
    return (await this.#idsOf(this.#filter)).filter((id) => !excluded.has(id));
  }
}
