import { describe, expect, it } from 'vitest';
import { axisCodes, isOblique } from '../../../../../app/services/import/orientation.js';

describe('axisCodes (nibabel aff2axcodes rule)', () => {
  it('names canonical and flipped axes', () => {
    expect(axisCodes([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]])).toBe('RAS');
    expect(axisCodes([[-1, 0, 0, 0], [0, -1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]])).toBe('LPS');
    // sagittal acquisition: i runs A->P, j runs S->I, k runs L->R
    expect(axisCodes([[0, 0, 1, 0], [-1, 0, 0, 0], [0, -1, 0, 0], [0, 0, 0, 1]])).toBe('PIR');
  });
  it('uses the closest axis for oblique affines and flags them', () => {
    const c = Math.cos(0.2);
    const s = Math.sin(0.2);
    const a = [[-0.86, 0, 0, 0], [0, 0.86 * c, -7 * s, 0], [0, 0.86 * s, 7 * c, 0], [0, 0, 0, 1]];
    expect(axisCodes(a)).toBe('LAS');
    expect(isOblique(a)).toBe(true);
    expect(isOblique([[2, 0, 0, 0], [0, 2, 0, 0], [0, 0, 2, 0], [0, 0, 0, 1]])).toBe(false);
  });
});
