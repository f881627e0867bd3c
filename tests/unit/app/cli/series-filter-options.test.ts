// The series filter options shared by `series list` and `cohort create`: the value parsers (sizes, spacings,
// dates, ids refused with a message naming the value) and the filter object the options make.
import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { addSeriesFilterOptions, day, dims, idsOf, mm, seriesFilterFrom, seriesIds } from '../../../../app/cli/series-filter-options.js';

describe('series filter option parsers', () => {
  it('dims: XxYxZ or X,Y,Z, three non-negative integers', () => {
    expect(dims('256x256x20')).toEqual([256, 256, 20]);
    expect(dims('64,64,1')).toEqual([64, 64, 1]);
    expect(dims(' 0 X 0 x 2 ')).toEqual([0, 0, 2]);
    for (const bad of ['256x256', '1x2x3x4', '10x-1x3', '1.5x2x3', 'axbxc', '', '1e3x1x1', '99999999999999999x1x1']) {
      expect(() => dims(bad), bad).toThrow(/is not three non-negative integers/);
    }
  });
  it('mm: a finite spacing in 0..10000', () => {
    expect(mm('0.7')).toBe(0.7);
    expect(mm('2')).toBe(2);
    expect(mm('0')).toBe(0);
    for (const bad of ['abc', '-2', '', ' ', 'Infinity', 'NaN', '10001', '1mm']) expect(() => mm(bad), bad).toThrow(/is not a spacing in mm/);
  });
  it('day: a real calendar date YYYY-MM-DD', () => {
    expect(day('2001-03-16')).toBe('2001-03-16');
    expect(day('2024-02-29')).toBe('2024-02-29');
    for (const bad of ['2001-02-30', '2023-02-29', '2001-13-01', '2001-3-16', '16/03/2001', '20010316']) {
      expect(() => day(bad), bad).toThrow(/is not a date YYYY-MM-DD/);
    }
  });
  it('idsOf: one positive id per value, named in the error', () => {
    expect(idsOf('study')('12', [3])).toEqual([3, 12]);
    for (const bad of ['0', '1,2', 'x', '-3']) expect(() => idsOf('patient')(bad), bad).toThrow(`"${bad}" is not a patient id`);
  });
  it('seriesIds: comma lists and repeats of positive integers', () => {
    expect(seriesIds('3,5, 8')).toEqual([3, 5, 8]);
    expect(seriesIds('9', [3])).toEqual([3, 9]);
    for (const bad of ['0', '-1', '1.5', 'a', '3,,4', '', '99999999999999999999']) expect(() => seriesIds(bad), bad).toThrow(/is not a series id/);
  });
});

describe('seriesFilterFrom', () => {
  it('maps every option to its filter field and leaves out the ones not given', async () => {
    let seen: Record<string, unknown> = {};
    const cmd = addSeriesFilterOptions(new Command('x').exitOverride()).action((o: Record<string, unknown>) => {
      seen = o;
    });
    await cmd.parseAsync(
      ['--modality', 'MR', '--modality', 'CT', '--body-part', 'HEAD', '--text', 'T1', '--from', '2001-01-01', '--to', '2001-12-31',
        '--min-dims', '64x64x8', '--max-dims', '512x512x400', '--min-spacing', '0.5', '--max-spacing', '3', '--status', 'complete',
        '--kind', 'dicom', '--usable', '--id', '4', '--id', '7', '--patient', '2', '--study', '5', '--study', '6'],
      { from: 'user' },
    );
    expect(seriesFilterFrom(seen)).toEqual({
      modality: ['MR', 'CT'],
      bodyPart: ['HEAD'],
      text: 'T1',
      dateFrom: '2001-01-01',
      dateTo: '2001-12-31',
      minDims: [64, 64, 8],
      maxDims: [512, 512, 400],
      spacingMin: 0.5,
      spacingMax: 3,
      status: ['complete'],
      kind: 'dicom',
      usableForLearning: true,
      ids: [4, 7],
      patientIds: [2],
      studyIds: [5, 6],
    });
    await cmd.parseAsync(['--text', 'x'], { from: 'user' });
    expect(seriesFilterFrom(seen)).toEqual({ text: 'x' });
  });
});
