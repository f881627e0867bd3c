// The Library's patient -> study -> series view as a flat list (renderer/src/sections/library/tree-model.ts):
// row i after expansions, counts, paging of patients, lazy studies and series, and a new query collapsing all.
import { describe, expect, it } from 'vitest';
import { TreeModel, type TreeFetch, type TreeRow } from '../../../../../renderer/src/sections/library/tree-model.js';
import type { PatientGroup, SeriesRow, StudyGroup } from '../../../../../app/contract/types.js';

// 5 patients; patient 1 has studies 11 (2 series) and 12 (1 series); patient 2 has study 21 (3 series); the
// others one study of one series.
const STUDIES: Record<number, { id: number; series: number }[]> = {
  1: [
    { id: 11, series: 2 },
    { id: 12, series: 1 },
  ],
  2: [{ id: 21, series: 3 }],
  3: [{ id: 31, series: 1 }],
  4: [{ id: 41, series: 1 }],
  5: [{ id: 51, series: 1 }],
};

function patient(id: number): PatientGroup {
  const st = STUDIES[id];
  const n = st.reduce((a, s) => a + s.series, 0);
  return { id, patientId: `P${id}`, name: `Name${id}`, sex: '', birthDate: '', studyCount: st.length, seriesCount: n, modalities: ['MR'], dateFrom: '', dateTo: '' };
}

function fakeFetch(calls: string[]): TreeFetch {
  return {
    patients: async (offset, limit) => {
      calls.push(`patients ${offset}+${limit}`);
      const ids = [1, 2, 3, 4, 5].slice(offset, offset + limit);
      return { total: 5, seriesTotal: 9, rows: ids.map(patient) };
    },
    studies: async (p) => {
      calls.push(`studies ${p}`);
      return STUDIES[p].map(
        (s): StudyGroup => ({ id: s.id, patient: p, uid: `u${s.id}`, date: '', description: `S${s.id}`, accession: '', seriesCount: s.series, modalities: ['MR'] }),
      );
    },
    series: async (study, offset) => {
      calls.push(`series ${study}`);
      const n = Object.values(STUDIES).flat().find((s) => s.id === study)!.series;
      const rows = Array.from({ length: n }, (_, k) => ({ id: study * 10 + k, description: `series ${study}.${k}` }) as unknown as SeriesRow);
      return { total: n, rows: rows.slice(offset) };
    },
  };
}

const label = (r: TreeRow) =>
  r.kind === 'patient' ? `P${r.patient?.id ?? '?'}` : r.kind === 'study' ? `  S${r.study?.id ?? '?'}` : `    ${r.row?.id ?? '?'}`;

async function settle() {
  for (let i = 0; i < 5; i++) await Promise.resolve();
  await new Promise((r) => setTimeout(r, 0));
}

describe('TreeModel', () => {
  it('flattens expanded patients and studies into rows, loading each level when opened', async () => {
    const calls: string[] = [];
    const t = new TreeModel(fakeFetch(calls), () => {}, 2);
    await t.ensure(0, 2);
    await t.ensure(0, 10);
    expect(t.count).toBe(5);
    expect(calls).toEqual(['patients 0+2', 'patients 2+2', 'patients 4+2']);
    await t.togglePatient(0);
    await settle();
    expect(Array.from({ length: t.count }, (_, i) => label(t.row(i)))).toEqual(['P1', '  S11', '  S12', 'P2', 'P3', 'P4', 'P5']);
    await t.toggleStudy(1, 11);
    // Patient 2 has one study: expanding it opens the study too.
    expect(t.row(5)).toMatchObject({ kind: 'patient', index: 1 });
    await t.togglePatient(1);
    await settle();
    expect(Array.from({ length: t.count }, (_, i) => label(t.row(i)))).toEqual([
      'P1',
      '  S11',
      '    110',
      '    111',
      '  S12',
      'P2',
      '  S21',
      '    210',
      '    211',
      '    212',
      'P3',
      'P4',
      'P5',
    ]);
    expect(t.row(9)).toMatchObject({ kind: 'series', index: 1, study: { id: 21 } });
    expect(t.indexOfPatient(2)).toBe(10);
    // Collapse patient 1: its rows go, patient 2's stay open.
    await t.togglePatient(0);
    expect(Array.from({ length: t.count }, (_, i) => label(t.row(i))).slice(0, 7)).toEqual(['P1', 'P2', '  S21', '    210', '    211', '    212', 'P3']);
    expect(calls.filter((c) => c.startsWith('studies') || c.startsWith('series'))).toEqual(['studies 1', 'series 11', 'studies 2', 'series 21']);
  });

  it('asks only for the patient pages in view, and starts over collapsed on a new query', async () => {
    const calls: string[] = [];
    const t = new TreeModel(fakeFetch(calls), () => {}, 2);
    await t.ensure(0, 1);
    expect(calls).toEqual(['patients 0+2']);
    await t.togglePatient(1);
    await settle();
    await t.ensure(5, 6); // P2 has 4 rows under it (its study, opened, and 3 series): row 5 is still P2's
    expect(calls).not.toContain('patients 2+2');
    await t.ensure(6, 7); // row 6 is P3, on page 1
    expect(calls).toContain('patients 2+2');
    expect(calls).not.toContain('patients 4+2');
    t.reset(fakeFetch(calls));
    expect([t.count, t.total]).toEqual([0, null]);
    await t.ensure(0, 2);
    expect(t.count).toBe(5);
    expect(t.isExpanded(2)).toBe(false);
  });

  it('rows of a patient whose studies are still loading are placeholders', async () => {
    let release: () => void = () => {};
    const fetch = fakeFetch([]);
    const slow: TreeFetch = { ...fetch, studies: (p) => new Promise((r) => (release = () => r(fetch.studies(p)))) };
    const t = new TreeModel(slow, () => {}, 10);
    await t.ensure(0, 5);
    const opening = t.togglePatient(0);
    expect(t.count).toBe(7);
    expect(t.row(1)).toMatchObject({ kind: 'study', study: undefined });
    release();
    await opening;
    expect(t.row(1)).toMatchObject({ kind: 'study', study: { id: 11 } });
  });
});
