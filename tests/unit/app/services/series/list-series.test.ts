import { describe, expect, it } from 'vitest';
import { filterSql } from '../../../../../app/services/series/list-series.js';

describe('filterSql', () => {
  it('binds every value as a parameter, never in the SQL text', () => {
    const evil = "x'); DROP TABLE series; --";
    const { where, params } = filterSql({ modality: [evil], text: evil, bodyPart: ['HEAD'] });
    expect(where).not.toContain('DROP');
    expect(Object.values(params)).toContain(evil.toUpperCase());
    expect(params.text).toBe(`%${evil}%`);
  });
  it('escapes LIKE wildcards in the text', () => {
    expect(filterSql({ text: '50%_a\\b' }).params.text).toBe('%50\\%\\_a\\\\b%');
  });
  it('is empty for an empty filter', () => {
    expect(filterSql({})).toEqual({ where: '', params: {} });
  });
  it('combines dims, spacing, dates, status, ids', () => {
    const { where, params } = filterSql({
      minDims: [64, 64, 10],
      maxDims: [512, 512, 400],
      spacingMin: 0.5,
      spacingMax: 1.5,
      dateFrom: '2020-01-01',
      status: ['complete'],
      ids: [3, 1],
    });
    expect(where.match(/ AND /g)?.length).toBeGreaterThanOrEqual(10);
    expect(params).toMatchObject({ minx: 64, maxz: 400, spMin: 0.5, spMax: 1.5, dateFrom: '2020-01-01', st0: 'complete', ids: '[3,1]' });
  });
});
