// What a cohort is made of, for the Cohorts screen and `cohort show`: counts per modality and body part, the
// in-plane matrices, and histograms of in-plane voxel size, slice spacing and slice count with fixed, readable bin
// edges (so two cohorts' charts compare); empty bins before the first and after the last filled one are dropped.
import type { CohortBreakdown, HistogramBin } from '../../contract/types/cohort.js';
import type { FacetCount } from '../../contract/types/series.js';

export interface BreakdownRow {
  modality: string;
  bodyPart: string;
  /** [x, y, z] voxels. */
  dims: [number, number, number];
  /** [x, y, z] mm. */
  spacing: [number, number, number];
}

export const IN_PLANE_EDGES = [0, 0.5, 0.75, 1, 1.5, 2, 3, 5];
export const SLICE_SPACING_EDGES = [0, 1, 1.5, 2, 3, 5, 8];
export const SLICES_EDGES = [0, 32, 64, 128, 256, 512, 1024];
const MATRIX_TOP = 8;

export function histogram(values: readonly number[], edges: readonly number[], unit: string): HistogramBin[] {
  const fmt = (v: number) => `${+v.toFixed(3)}`;
  const bins: HistogramBin[] = edges.map((lo, i) => {
    const hi = i + 1 < edges.length ? edges[i + 1] : null;
    const label = hi === null ? `≥ ${fmt(lo)}${unit}` : i === 0 ? `< ${fmt(hi)}${unit}` : `${fmt(lo)}–${fmt(hi)}${unit}`;
    return { label, lo, hi, count: 0 };
  });
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    let i = edges.length - 1;
    while (i > 0 && v < edges[i]) i--;
    bins[i].count++;
  }
  const first = bins.findIndex((b) => b.count > 0);
  if (first < 0) return [];
  let last = bins.length - 1;
  while (bins[last].count === 0) last--;
  return bins.slice(first, last + 1);
}

function counts(values: readonly string[], unknown: string): FacetCount[] {
  const m = new Map<string, number>();
  for (const v of values) {
    const key = v.trim() || unknown;
    m.set(key, (m.get(key) ?? 0) + 1);
  }
  return [...m].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
}

export function breakdown(rows: readonly BreakdownRow[]): CohortBreakdown {
  const matrix = counts(
    rows.map((r) => `${r.dims[0]} x ${r.dims[1]}`),
    'unknown',
  );
  const top = matrix.slice(0, MATRIX_TOP);
  const rest = matrix.slice(MATRIX_TOP).reduce((n, f) => n + f.count, 0);
  if (rest) top.push({ value: 'other', count: rest });
  return {
    modality: counts(
      rows.map((r) => r.modality.toUpperCase()),
      'unknown',
    ),
    bodyPart: counts(
      rows.map((r) => r.bodyPart.toUpperCase()),
      'unknown',
    ),
    inPlaneSpacing: histogram(
      rows.map((r) => Math.max(r.spacing[0], r.spacing[1])),
      IN_PLANE_EDGES,
      ' mm',
    ),
    sliceSpacing: histogram(
      rows.map((r) => r.spacing[2]),
      SLICE_SPACING_EDGES,
      ' mm',
    ),
    matrix: top,
    slices: histogram(
      rows.map((r) => r.dims[2]),
      SLICES_EDGES,
      '',
    ),
  };
}
