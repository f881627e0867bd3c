// Badges for series flags and statuses (renderer/src/sections/library/flags.ts).
import { describe, expect, it } from 'vitest';
import { flagLabel, rowBadges } from '../../../../../renderer/src/sections/library/flags.js';

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
