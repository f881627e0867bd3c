// The Library's selection (renderer/src/sections/library/selection-model.ts): explicit picks, "all matching" with
// exclusions resolved through series:ids, and what a filter change does to each.
import { describe, expect, it } from 'vitest';
import { SelectionModel } from '../../../../../renderer/src/sections/library/selection-model.js';
import type { SeriesFilter } from '../../../../../app/contract/calls/series.js';

const CATALOGUE = Array.from({ length: 10 }, (_, i) => ({ id: i + 1, modality: i % 2 ? 'MR' : 'CT' }));
const asked: SeriesFilter[] = [];
const idsOf = async (filter: SeriesFilter) => {
  asked.push(filter);
  return CATALOGUE.filter((s) => !filter.modality || filter.modality.includes(s.modality)).map((s) => s.id);
};

describe('SelectionModel', () => {
  it('plain, toggle and add/remove picks', async () => {
    const s = new SelectionModel(idsOf);
    s.set([3]);
    s.toggle(5);
    s.toggle(3);
    s.add([7, 8, 5]);
    s.remove([8]);
    expect(s.count).toBe(2);
    expect([s.has(5), s.has(7), s.has(3)]).toEqual([true, true, false]);
    expect(await s.resolve()).toEqual([5, 7]);
    s.set([1]);
    expect(await s.resolve()).toEqual([1]);
  });

  it('all matching: counts from the total, unticks exclusions, resolves through series:ids with the filter', async () => {
    const s = new SelectionModel(idsOf);
    s.setFilter({ modality: ['MR'] }, 5);
    s.selectAllMatching(5);
    expect([s.count, s.allMatching, s.wholeFilter]).toEqual([5, true, true]);
    s.toggle(4);
    expect([s.count, s.has(4), s.has(6), s.wholeFilter]).toEqual([4, false, true, false]);
    asked.length = 0;
    expect(await s.resolve()).toEqual([2, 6, 8, 10]);
    expect(asked).toEqual([{ modality: ['MR'] }]);
  });

  it('a new filter ends "all matching" but keeps explicit picks', () => {
    const s = new SelectionModel(idsOf);
    s.setFilter({}, 10);
    s.set([2, 3]);
    s.setFilter({ modality: ['CT'] }, 5);
    expect(s.count).toBe(2);
    s.selectAllMatching(5);
    s.setFilter({ modality: ['CT'] }, 5); // same filter (a refresh): stays
    expect(s.count).toBe(5);
    s.setFilter({}, 10);
    expect([s.count, s.allMatching]).toEqual([0, false]);
  });
});
