// The cohort naming rule shared by the service, the CLI and the renderer: what is refused and why, the key names
// are unique under (case, NFKC, white space), the quoting of hostile names in messages, and the call schemas.
import { describe, expect, it } from 'vitest';
import { cohortCalls, cohortNameKey, cohortNameProblem, normalizeCohortName, quoteCohortName } from '../../../../../app/contract/calls/cohort.js';
import { describeSeriesFilter } from '../../../../../app/contract/series-filter-text.js';

describe('cohortNameProblem', () => {
  it('accepts the names researchers use', () => {
    for (const ok of ['Brain MR', 'CT chest 2019/2020', "O'Brien's T1 (3T)", 'Ärzte-Kohorte', '脳MRI', 'T2 FLAIR 🧠', 'a', 'x'.repeat(80), '3T MR', '2019']) {
      expect(cohortNameProblem(ok === '2019' ? '2019 scans' : ok), ok).toBeNull();
    }
  });
  it('refuses hostile and ambiguous names with the reason', () => {
    const cases: [string, RegExp][] = [
      ['', /cannot be empty/],
      ['   ', /cannot be empty/],
      ['x'.repeat(81), /at most 80 characters \(this one has 81\)/],
      ['a\u202Eb', /control, format or unassigned characters \(U\+202E at position 2\)/],
      ['zero\u200Bwidth', /U\+200B/],
      ['nul\0byte', /U\+0000/],
      ['bell\x07', /U\+0007/],
      ['c1\x85', /U\+0085/],
      ['line\nbreak', /U\+000A/],
      ['para\u2029sep', /U\+2029/],
      ['lone\uD800', /U\+D800/],
      ['private\uE000', /U\+E000/],
      ['-rf', /cannot start with '-'/],
      ['42', /cannot be only digits/],
      ['a\u00A0b', /white space other than plain spaces/],
    ];
    for (const [name, why] of cases) expect(cohortNameProblem(name), JSON.stringify(name)).toMatch(why);
  });
  it('normalises to NFC and trims; keys fold case, compatibility forms and white space runs', () => {
    expect(normalizeCohortName('  Cafe\u0301  ')).toBe('Café');
    expect(cohortNameKey('Brain  MR')).toBe(cohortNameKey('brain mr'));
    expect(cohortNameKey('ＣＴ Chest')).toBe(cohortNameKey('ct chest'));
    expect(cohortNameKey('ÄRZTE')).toBe(cohortNameKey('ärzte'));
    expect(cohortNameKey('Café')).toBe(cohortNameKey('Cafe\u0301'));
    expect(cohortNameKey('MR 1')).not.toBe(cohortNameKey('MR 2'));
  });
  it('quotes a hostile name so that a message cannot reorder or hide text', () => {
    expect(quoteCohortName('a\u202Eb')).toBe('"a\\u{202E}b"');
    expect(quoteCohortName('x\u2028y\x85')).toBe('"x\\u{2028}y\\u{85}"');
    expect(quoteCohortName('"; DROP TABLE cohorts; --')).toBe('"\\"; DROP TABLE cohorts; --"');
    expect(quoteCohortName('y'.repeat(150))).toBe(`"${'y'.repeat(100)}"…`);
  });
});

describe('cohort call schemas', () => {
  it('a cohort is named by a positive id or a name; add/remove need at least one series id', () => {
    expect(cohortCalls['cohort:get'].args.parse({ cohort: 3 })).toEqual({ cohort: 3, checkFiles: true });
    expect(cohortCalls['cohort:get'].args.parse({ cohort: 'Brain MR', checkFiles: false })).toEqual({ cohort: 'Brain MR', checkFiles: false });
    for (const bad of [{ cohort: 0 }, { cohort: '' }, { cohort: 1.5 }, {}, { cohort: 1, extra: true }]) {
      expect(cohortCalls['cohort:get'].args.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(cohortCalls['cohort:add'].args.safeParse({ cohort: 1, seriesIds: [] }).success).toBe(false);
    expect(cohortCalls['cohort:create'].args.safeParse({ name: 'x', filter: { modality: ['MR'], bogus: 1 } }).success).toBe(false);
    expect(cohortCalls['cohort:create'].args.parse({ name: 'x', filter: { cohort: 2 } })).toEqual({ name: 'x', description: '', filter: { cohort: 2 } });
  });
});

describe('describeSeriesFilter', () => {
  it('says what a cohort was made from', () => {
    expect(describeSeriesFilter(null)).toBe('a selection of series');
    expect(describeSeriesFilter({})).toBe('every series');
    expect(
      describeSeriesFilter({ modality: ['MR', 'CT'], bodyPart: ['HEAD'], text: ' T1 ', dateFrom: '2001-01-01', minDims: [64, 64, 8], spacingMax: 3, usableForLearning: true, ids: [1, 2] }),
    ).toBe('modality MR or CT; body part HEAD; text "T1"; date from 2001-01-01; at least 64x64x8 voxels; voxel size ≤ 3 mm; usable for learning; 2 chosen series');
  });
});
