// A series filter in words, for people: the CLI's cohort tables and the Cohorts screen say what a cohort was made
// from with it (e.g. 'modality MR or CT; body part HEAD; text "T1"; slices spacing ≤ 3 mm'). Pure, browser-safe.
import type { SeriesFilter } from './calls/series.js';

export function describeSeriesFilter(f: SeriesFilter | null | undefined): string {
  if (!f) return 'a selection of series';
  const parts: string[] = [];
  const or = (v: readonly string[]) => v.join(' or ');
  if (f.modality?.length) parts.push(`modality ${or(f.modality)}`);
  if (f.bodyPart?.length) parts.push(`body part ${or(f.bodyPart)}`);
  if (f.text?.trim()) parts.push(`text ${JSON.stringify(f.text.trim())}`);
  if (f.dateFrom && f.dateTo) parts.push(`date ${f.dateFrom} to ${f.dateTo}`);
  else if (f.dateFrom) parts.push(`date from ${f.dateFrom}`);
  else if (f.dateTo) parts.push(`date to ${f.dateTo}`);
  if (f.minDims) parts.push(`at least ${f.minDims.join('x')} voxels`);
  if (f.maxDims) parts.push(`at most ${f.maxDims.join('x')} voxels`);
  if (f.spacingMin !== undefined && f.spacingMax !== undefined) parts.push(`voxel size ${f.spacingMin}-${f.spacingMax} mm`);
  else if (f.spacingMin !== undefined) parts.push(`voxel size ≥ ${f.spacingMin} mm`);
  else if (f.spacingMax !== undefined) parts.push(`voxel size ≤ ${f.spacingMax} mm`);
  if (f.status?.length) parts.push(`status ${or(f.status)}`);
  if (f.kind) parts.push(f.kind === 'dicom' ? 'DICOM' : 'NIfTI');
  if (f.usableForLearning !== undefined) parts.push(f.usableForLearning ? 'usable for learning' : 'not usable for learning');
  if (f.ids) parts.push(`${f.ids.length} chosen series`);
  if (f.cohort !== undefined) parts.push(`members of cohort ${f.cohort}`);
  return parts.length ? parts.join('; ') : 'every series';
}
