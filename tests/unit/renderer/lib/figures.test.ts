// Progress and result figures (renderer/src/lib/figures.ts).
import { describe, expect, it } from 'vitest';
import { formatCount, formatDuration, formatRate, fractionDone } from '../../../../renderer/src/lib/figures.js';

describe('figures', () => {
  it('formats durations', () => {
    expect(formatDuration(42.4)).toBe('42 s');
    expect(formatDuration(185)).toBe('3 min 05 s');
    expect(formatDuration(3720)).toBe('1 h 02 min');
    expect(formatDuration(undefined)).toBe('—');
    expect(formatDuration(-1)).toBe('—');
    expect(formatDuration(Number.NaN)).toBe('—');
  });

  it('formats rates and counts, with a dash when unknown', () => {
    expect(formatRate(0.4251)).toMatch(/^0\.43 files\/s$/);
    expect(formatRate(12.34, 'series')).toMatch(/^12\.3 series\/s$/);
    expect(formatRate(0)).toBe('—');
    expect(formatCount(null)).toBe('—');
    expect(formatCount(7)).toBe('7');
  });

  it('computes the fraction done, null when the total is unknown', () => {
    expect(fractionDone(5, 10)).toBe(0.5);
    expect(fractionDone(12, 10)).toBe(1);
    expect(fractionDone(3, 0)).toBeNull();
    expect(fractionDone(Number.NaN, 10)).toBeNull();
  });
});
