// The cohort breakdown: counts per modality / body part / matrix, and histograms with fixed bin edges whose empty
// ends are dropped; checked by hand on a small made-up cohort.
import { describe, expect, it } from 'vitest';
import { breakdown, histogram, type BreakdownRow } from '../../../../../app/services/cohorts/breakdown.js';

const row = (modality: string, bodyPart: string, dims: [number, number, number], spacing: [number, number, number]): BreakdownRow => ({ modality, bodyPart, dims, spacing });

describe('histogram', () => {
  it('puts each value in [lo, hi), the last bin open, drops empty ends and keeps inner empty bins', () => {
    const h = histogram([0.4, 0.5, 0.9, 2.99, 3, 17, NaN], [0, 0.5, 1, 2, 3], ' mm');
    expect(h).toEqual([
      { label: '< 0.5 mm', lo: 0, hi: 0.5, count: 1 },
      { label: '0.5–1 mm', lo: 0.5, hi: 1, count: 2 },
      { label: '1–2 mm', lo: 1, hi: 2, count: 0 },
      { label: '2–3 mm', lo: 2, hi: 3, count: 1 },
      { label: '≥ 3 mm', lo: 3, hi: null, count: 2 },
    ]);
    expect(histogram([5, 6], [0, 1, 2, 8], '').map((b) => [b.label, b.count])).toEqual([['2–8', 2]]);
    expect(histogram([], [0, 1], '')).toEqual([]);
  });
});

describe('breakdown', () => {
  it('counts modality, body part and matrix (most frequent first, unknown for blanks) and bins spacings and slices', () => {
    const rows = [
      row('MR', 'HEAD', [256, 256, 20], [0.86, 0.86, 7.07]),
      row('mr', 'head', [256, 256, 176], [1, 1, 1]),
      row('CT', '', [512, 512, 300], [0.7, 0.7, 1.25]),
      row('', 'CHEST', [33, 41, 25], [2, 2, 2]),
    ];
    const b = breakdown(rows);
    expect(b.modality).toEqual([
      { value: 'MR', count: 2 },
      { value: 'CT', count: 1 },
      { value: 'unknown', count: 1 },
    ]);
    expect(b.bodyPart).toEqual([
      { value: 'HEAD', count: 2 },
      { value: 'CHEST', count: 1 },
      { value: 'unknown', count: 1 },
    ]);
    expect(b.matrix).toEqual([
      { value: '256 x 256', count: 2 },
      { value: '33 x 41', count: 1 },
      { value: '512 x 512', count: 1 },
    ]);
    expect(b.inPlaneSpacing.map((x) => [x.label, x.count])).toEqual([
      ['0.5–0.75 mm', 1],
      ['0.75–1 mm', 1],
      ['1–1.5 mm', 1],
      ['1.5–2 mm', 0],
      ['2–3 mm', 1],
    ]);
    expect(b.sliceSpacing.map((x) => [x.label, x.count])).toEqual([
      ['1–1.5 mm', 2],
      ['1.5–2 mm', 0],
      ['2–3 mm', 1],
      ['3–5 mm', 0],
      ['5–8 mm', 1],
    ]);
    expect(b.slices.map((x) => [x.label, x.count])).toEqual([
      ['< 32', 2],
      ['32–64', 0],
      ['64–128', 0],
      ['128–256', 1],
      ['256–512', 1],
    ]);
  });
  it('folds matrices beyond the eight most frequent into "other"', () => {
    const rows = Array.from({ length: 10 }, (_, i) => row('MR', 'HEAD', [64 + i, 64, 10], [1, 1, 1]));
    const m = breakdown(rows).matrix;
    expect(m).toHaveLength(9);
    expect(m[8]).toEqual({ value: 'other', count: 2 });
  });
});
