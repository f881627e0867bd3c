// The Library's selection as the screens and the selection actions use it: SelectionModel made reactive (every
// read tracks a version that every change bumps), one per session so that opening a series and coming back
// keeps it. Read it with `librarySelection()`; selection actions (selection-actions.ts) receive it as a prop.
import { api } from '../../api/client.js';
import { SelectionModel, type IdsOf } from './selection-model.js';
import type { SeriesFilter } from '../../../../app/contract/calls/series.js';

export class SeriesSelection {
  readonly #model: SelectionModel;
  #version = $state(0);

  constructor(idsOf: IdsOf) {
    this.#model = new SelectionModel(idsOf);
  }

  #read<T>(value: () => T): T {
    void this.#version;
    return value();
  }

  #write(change: () => void): void {
    change();
    this.#version++;
  }

  /** The Library's current series:list filter. */
  get filter(): SeriesFilter {
    return this.#read(() => this.#model.filter);
  }
  /** Every series matching `filter` is selected (minus the ones unticked since). */
  get allMatching(): boolean {
    return this.#read(() => this.#model.allMatching);
  }
  /** The selection is exactly the filter's match. */
  get wholeFilter(): boolean {
    return this.#read(() => this.#model.wholeFilter);
  }
  get count(): number {
    return this.#read(() => this.#model.count);
  }
  get anchor(): number | null {
    return this.#model.anchor;
  }
  set anchor(index: number | null) {
    this.#model.anchor = index;
  }
  has(id: number): boolean {
    return this.#read(() => this.#model.has(id));
  }
  set(ids: readonly number[]): void {
    this.#write(() => this.#model.set(ids));
  }
  add(ids: readonly number[]): void {
    this.#write(() => this.#model.add(ids));
  }
  remove(ids: readonly number[]): void {
    this.#write(() => this.#model.remove(ids));
  }
  toggle(id: number): void {
    this.#write(() => this.#model.toggle(id));
  }
  selectAllMatching(total: number): void {
    this.#write(() => this.#model.selectAllMatching(total));
  }
  setFilter(filter: SeriesFilter, total: number | null): void {
    this.#write(() => this.#model.setFilter(filter, total));
  }
  clear(): void {
    this.#write(() => this.#model.clear());
  }
  /** The selected series ids, ascending (asks `series:ids` when every matching series is selected). */
  resolve(): Promise<number[]> {
    return this.#model.resolve();
  }
}

let shared: SeriesSelection | null = null;

/** The Library's selection (one per session). */
export function librarySelection(): SeriesSelection {
  shared ??= new SeriesSelection((filter) => api().call('series:ids', { filter }));
  return shared;
}

/** What a selection action (a control in the Library's selection bar, see selection-actions.ts) receives. */
export interface SelectionActionProps {
  selection: SeriesSelection;
}
