// What the cohort forms say about a name as it is typed (the contract's rule, then names taken, compared as the
// service compares them) and the count phrases of the cohort cards.
import { describe, expect, it } from 'vitest';
import { nameIssue, usableText } from '../../../../../renderer/src/sections/cohorts/cohort-form.js';

const existing = [
  { id: 1, name: 'Brain MR' },
  { id: 2, name: 'ＣＴ chest' },
];

describe('nameIssue', () => {
  it('passes a free, valid name', () => {
    expect(nameIssue('Knee MR', existing)).toBeNull();
  });
  it('says a name is taken, whatever its case, width or spacing; its own name is not taken when renaming', () => {
    expect(nameIssue('brain  mr', existing)).toBe('“Brain MR” already exists (names are compared ignoring case).');
    expect(nameIssue('CT CHEST', existing)).toBe('“ＣＴ chest” already exists (names are compared ignoring case).');
    expect(nameIssue('BRAIN MR', existing, 1)).toBeNull();
  });
  it('gives the naming rule as a sentence', () => {
    expect(nameIssue('  ', existing)).toBe('A cohort name cannot be empty.');
    expect(nameIssue('7', existing)).toBe('A cohort name cannot be only digits (numbers name cohorts by id).');
    expect(nameIssue('a\u202Eb', existing)).toMatch(/^A cohort name cannot contain control, format or unassigned characters \(U\+202E/);
  });
});

describe('usableText', () => {
  it('phrases the usable part of a cohort', () => {
    expect(usableText(0, 0)).toBe('empty');
    expect(usableText(3, 3)).toBe('all usable for learning');
    expect(usableText(3, 0)).toBe('none usable for learning');
    expect(usableText(1204, 1200)).toBe('1,200 usable, 4 not');
  });
});
