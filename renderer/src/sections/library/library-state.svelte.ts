// Library filters, sort and view (flat series table or patient -> study -> series) kept for the session, so
// that opening a series and coming back finds the Library as it was left (scroll position included).
import { DEFAULT_SORT, EMPTY_FILTERS, type LibraryFilters, type LibrarySort } from './library-query.js';

class LibraryState {
  filters = $state<LibraryFilters>({ ...EMPTY_FILTERS, modalities: [] });
  sort = $state<LibrarySort>({ ...DEFAULT_SORT });
  view = $state<'flat' | 'grouped'>('flat');
  /** Index of the row that had keyboard focus / was opened last. */
  activeIndex = $state(0);
  scrollTop = 0;

  clearFilters(): void {
    this.filters = { ...EMPTY_FILTERS, modalities: [] };
  }
}

let shared: LibraryState | null = null;

export function libraryState(): LibraryState {
  shared ??= new LibraryState();
  return shared;
}
