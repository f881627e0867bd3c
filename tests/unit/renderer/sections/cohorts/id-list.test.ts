// "Add series by id" as typed on the cohort page: lists and inclusive ranges, refusals naming the bad part.
import { describe, expect, it } from 'vitest';
import { parseIdList } from '../../../../../renderer/src/sections/cohorts/id-list.js';

describe('parseIdList', () => {
  it('reads ids and ranges separated by commas, spaces or semicolons, sorted and unique', () => {
    expect(parseIdList('12, 15-18 20;3 12')).toEqual([3, 12, 15, 16, 17, 18, 20]);
    expect(parseIdList(' 7 ')).toEqual([7]);
    expect(parseIdList('5-5')).toEqual([5]);
  });
  it('names what it cannot read', () => {
    expect(parseIdList('')).toBe('Type one or more series ids, e.g. 12, 15-18.');
    for (const bad of ['0', '18-15', 'abc', '1.5', '-3', '4-', '99999999999999999999']) {
      expect(parseIdList(`1, ${bad}`), bad).toBe(`“${bad}” is not a series id or a range like 15-18.`);
    }
    expect(parseIdList('1-200000')).toMatch(/At most 100,000 series/);
  });
});
