// Badges for series flags and statuses (renderer/src/sections/library/flags.ts).
import { describe, expect, it } from 'vitest';
import { flagLabel, mergeFlags, rowBadges } from '../../../../../renderer/src/sections/library/flags.js';

describe('rowBadges', () => {
  it('shows nothing for a complete, unflagged, usable series', () => {
    expect(rowBadges({ flags: [], status: 'complete', usableForLearning: true, unusableReason: null })).toEqual([]);
  });

  it('keeps every reason: status, flags, and why not usable for learning', () => {
    const badges = rowBadges({
      flags: [
        { code: 'gantry-tilt', reason: 'gantry tilt 12.0 degrees' },
        { code: 'some-new-flag', reason: 'new reason' },
      ],
      status: 'importing',
      usableForLearning: false,
      unusableReason: 'colour image',
    });
    expect(badges.map((b) => b.label)).toEqual(['Importing', 'Gantry tilt', 'Some new flag', 'Not for learning']);
    expect(badges[1]?.reason).toBe('gantry tilt 12.0 degrees');
    expect(badges[3]?.reason).toBe('colour image');
  });

  it('labels unknown codes readably', () => {
    expect(flagLabel('non-uniform-spacing')).toBe('Uneven spacing');
    expect(flagLabel('odd_code-here')).toBe('Odd code here');
  });
});

describe('mergeFlags', () => {
  // pydicom's JPEG2000-embedded-sequence-delimiter.dcm and JPGExtended.dcm share a series UID: the importer
  // flags lossy-compression once per lossy transfer syntax (the case that emptied the Library, #12).
  const repeated = [
    { code: 'lossy-compression', reason: 'Lossy compression (JPEG Extended (Process 2 & 4))' },
    { code: 'no-geometry', reason: 'No ImagePositionPatient' },
    { code: 'lossy-compression', reason: 'Lossy compression (JPEG 2000)' },
    { code: 'lossy-compression', reason: 'Lossy compression (JPEG 2000)' },
  ];

  it('makes one flag per code with every distinct reason', () => {
    expect(mergeFlags(repeated)).toEqual([
      { code: 'lossy-compression', reason: 'Lossy compression (JPEG Extended (Process 2 & 4))\nLossy compression (JPEG 2000)' },
      { code: 'no-geometry', reason: 'No ImagePositionPatient' },
    ]);
  });

  it('gives rowBadges unique keys when a flag repeats', () => {
    const badges = rowBadges({ flags: repeated, status: 'failed', usableForLearning: false, unusableReason: null });
    const keys = badges.map((b) => b.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(badges.map((b) => b.label)).toEqual(['Failed', 'Lossy compression', 'No geometry', 'Not for learning']);
  });
});
