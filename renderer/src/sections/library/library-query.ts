// The library's filter and sort state, and its translation into `series:list` arguments. Pure, so the
// mapping from what the user typed to what the catalogue is asked can be unit-tested.
import type { CallArgs } from '../../../../app/contract/api.js';

export type SortKey = 'id' | 'date' | 'modality' | 'bodyPart' | 'description' | 'patient' | 'slices' | 'importedAt' | 'seriesNumber';
export type SortOrder = 'asc' | 'desc';

export interface LibraryFilters {
  modalities: string[];
  bodyPart: string; // '' = any
  text: string;
  dateFrom: string; // YYYY-MM-DD or ''
  dateTo: string;
  /** Minimum in-plane size (applies to x and y), '' = none. */
  minInPlane: string;
  /** Slice count range (z), '' = none. */
  minSlices: string;
  maxSlices: string;
  /** Largest voxel size accepted (mm), '' = none. */
  maxSpacing: string;
  /** Only the members of this cohort (its id; set by #/library?cohort=ID from a cohort's page), null = any. */
  cohort?: number | null;
}

export interface LibrarySort {
  key: SortKey;
  order: SortOrder;
}

export const EMPTY_FILTERS: LibraryFilters = {
  modalities: [],
  bodyPart: '',
  text: '',
  dateFrom: '',
  dateTo: '',
  minInPlane: '',
  minSlices: '',
  maxSlices: '',
  maxSpacing: '',
};

export const DEFAULT_SORT: LibrarySort = { key: 'date', order: 'desc' };

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const BIG = 1_000_000;

function intOrNull(s: string): number | null {
  const t = s.trim();
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : null;
}

function numOrNull(s: string): number | null {
  const t = s.trim();
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

type ListArgs = CallArgs<'series:list'>;
type ListFilter = NonNullable<ListArgs['filter']>;

/** The `filter` object of `series:list` for these UI filters (fields the user left empty are omitted). */
export function toListFilter(f: LibraryFilters): ListFilter {
  const out: ListFilter = {};
  if (f.modalities.length > 0) out.modality = [...f.modalities];
  if (f.bodyPart) out.bodyPart = [f.bodyPart];
  const text = f.text.trim();
  if (text) out.text = text.slice(0, 256);
  if (DATE.test(f.dateFrom)) out.dateFrom = f.dateFrom;
  if (DATE.test(f.dateTo)) out.dateTo = f.dateTo;
  const minXY = intOrNull(f.minInPlane);
  const minZ = intOrNull(f.minSlices);
  const maxZ = intOrNull(f.maxSlices);
  if (minXY !== null || minZ !== null) out.minDims = [minXY ?? 0, minXY ?? 0, minZ ?? 0];
  if (maxZ !== null) out.maxDims = [BIG, BIG, maxZ];
  const maxSp = numOrNull(f.maxSpacing);
  if (maxSp !== null) out.spacingMax = Math.min(maxSp, 1e4);
  if (f.cohort) out.cohort = f.cohort;
  return out;
}

export function toListArgs(f: LibraryFilters, sort: LibrarySort, offset: number, limit: number): ListArgs {
  return { filter: toListFilter(f), sort: sort.key, order: sort.order, offset, limit };
}

/** How many filters differ from the defaults (for the "Clear filters (n)" button). */
export function activeFilterCount(f: LibraryFilters): number {
  let n = 0;
  if (f.modalities.length) n++;
  if (f.bodyPart) n++;
  if (f.text.trim()) n++;
  if (f.dateFrom || f.dateTo) n++;
  if (f.minInPlane.trim() || f.minSlices.trim() || f.maxSlices.trim()) n++;
  if (f.maxSpacing.trim()) n++;
  if (f.cohort) n++;
  return n;
}

/** Clicking a column header: a new column sorts in its natural order, the same column flips. */
export function nextSort(current: LibrarySort, key: SortKey): LibrarySort {
  if (current.key === key) return { key, order: current.order === 'asc' ? 'desc' : 'asc' };
  const descFirst: SortKey[] = ['date', 'importedAt', 'slices'];
  return { key, order: descFirst.includes(key) ? 'desc' : 'asc' };
}
