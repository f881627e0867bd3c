import { describe, expect, it } from 'vitest';
import { displayName, isoDate } from '../../../../../app/services/import/dicom-values.js';

describe('DICOM value conversions', () => {
  it('turns DA values into ISO dates and rejects malformed ones', () => {
    expect(isoDate('20040826')).toBe('2004-08-26');
    expect(isoDate('2004.08.26')).toBe('2004-08-26');
    expect(isoDate(' 20040826 ')).toBe('2004-08-26');
    expect(isoDate('20041326')).toBe('');
    expect(isoDate('')).toBe('');
    expect(isoDate(undefined)).toBe('');
    expect(isoDate('2004')).toBe('');
  });
  it('renders person names', () => {
    expect(displayName('CompressedSamples^MR1')).toBe('CompressedSamples MR1');
    expect(displayName('Yamada^Tarou=山田^太郎')).toBe('Yamada Tarou');
    expect(displayName(null)).toBe('');
  });
});
