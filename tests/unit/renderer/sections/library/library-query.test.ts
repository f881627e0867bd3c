// Library filters -> `series:list` arguments (renderer/src/sections/library/library-query.ts), checked against
// the contract's own schema so the UI can never send what the server would refuse.
import { describe, expect, it } from 'vitest';
import { calls } from '../../../../../app/contract/api.js';
import {
  DEFAULT_SORT,
  EMPTY_FILTERS,
  activeFilterCount,
  nextSort,
  toListArgs,
  toListFilter,
} from '../../../../../renderer/src/sections/library/library-query.js';

describe('toListFilter', () => {
  it('omits everything for empty filters', () => {
    expect(toListFilter(EMPTY_FILTERS)).toEqual({});
  });

  it('maps every control and the result passes the contract schema', () => {
    const f = {
      modalities: ['MR', 'CT'],
      bodyPart: 'BRAIN',
      text: '  axial  ',
      dateFrom: '2001-01-01',
      dateTo: '2001-12-31',
      minInPlane: '128',
      minSlices: '10',
      maxSlices: '300',
      maxSpacing: '2.5',
    };
    const filter = toListFilter(f);
    expect(filter).toEqual({
      modality: ['MR', 'CT'],
      bodyPart: ['BRAIN'],
      text: 'axial',
      dateFrom: '2001-01-01',
      dateTo: '2001-12-31',
      minDims: [128, 128, 10],
      maxDims: [1_000_000, 1_000_000, 300],
      spacingMax: 2.5,
    });
    const args = calls['series:list'].args.parse(toListArgs(f, { key: 'slices', order: 'asc' }, 200, 200));
    expect(args).toMatchObject({ sort: 'slices', order: 'asc', offset: 200, limit: 200 });
  });

  it('drops malformed input instead of sending it', () => {
    const filter = toListFilter({
      ...EMPTY_FILTERS,
      dateFrom: '2001-1-1',
      minInPlane: 'abc',
      minSlices: '-3',
      maxSpacing: 'x',
    });
    expect(filter).toEqual({});
    expect(() => calls['series:list'].args.parse(toListArgs(EMPTY_FILTERS, DEFAULT_SORT, 0, 100))).not.toThrow();
  });

  it("a cohort (#/library?cohort=ID) becomes series:list's cohort filter and counts as a filter", () => {
    const f = { ...EMPTY_FILTERS, modalities: ['MR'], cohort: 7 };
    expect(toListFilter(f)).toEqual({ modality: ['MR'], cohort: 7 });
    expect(calls['series:list'].args.parse(toListArgs(f, DEFAULT_SORT, 0, 100)).filter).toEqual({ modality: ['MR'], cohort: 7 });
    expect(activeFilterCount(f)).toBe(2);
    expect(toListFilter({ ...f, cohort: null })).toEqual({ modality: ['MR'] });
  });
});

describe('sorting and counting', () => {
  it('flips the same column and starts new columns in their natural order', () => {
    expect(nextSort({ key: 'date', order: 'desc' }, 'date')).toEqual({ key: 'date', order: 'asc' });
    expect(nextSort({ key: 'date', order: 'desc' }, 'description')).toEqual({ key: 'description', order: 'asc' });
    expect(nextSort({ key: 'description', order: 'asc' }, 'slices')).toEqual({ key: 'slices', order: 'desc' });
  });

  it('counts active filter groups', () => {
    expect(activeFilterCount(EMPTY_FILTERS)).toBe(0);
    expect(activeFilterCount({ ...EMPTY_FILTERS, modalities: ['MR'], dateTo: '2020-01-01', minSlices: '5', maxSlices: '9' })).toBe(3);
  });
});
