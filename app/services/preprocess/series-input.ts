// What preprocessing needs of catalogued series, read from the catalogue (series and files tables): the
// volume source (series.plan), the modality, the usability verdict and the source files with the sizes and
// mtimes recorded at import. Refusals that need no voxels happen here (with errors naming the series):
// unknown ids, series still importing, marked missing or failed, not usable for learning, 2-D.
// `learningVerdict` is that refusal alone, from catalogue columns: the one rule for "can this series be
// learned from", also used by the cohort domain to list unusable members with their reasons.
import type { Db } from '../catalogue/database.js';
import { NotFoundError } from '../../contract/errors.js';
import { SeriesNotUsableError, SourceFilesMissingError } from '../../contract/errors.js';

export interface SeriesInput {
  seriesId: number;
  kind: 'dicom' | 'nifti';
  modality: string;
  /** series.plan as stored: the imaging VolumePlan (DICOM) or {path, volumeCount, header} (NIfTI). */
  plan: string;
  /** [path, size, mtimeMs] of every source file, as catalogued. */
  files: [string, number, number][];
  /** 3-D volumes the series holds. */
  volumeCount: number;
}

/** The catalogue columns the verdict reads (series table), and what its files rows say. */
export interface VerdictRow {
  id: number;
  status: string;
  description: string | null;
  dim_x: number | null;
  dim_y: number | null;
  dim_z: number | null;
  usable: number;
  unusable_reason: string | null;
  /** series.plan is set (the import finished assembling it). */
  hasPlan: boolean;
  /** Source files catalogued, those marked missing at the last import, and one of the latter. */
  fileCount: number;
  goneCount: number;
  firstGone: string | null;
}

/** Why a catalogued series cannot be learned from (an error naming it), or null when it can. */
export function learningVerdict(r: VerdictRow): SeriesNotUsableError | SourceFilesMissingError | null {
  const name = `series ${r.id}${r.description ? ` (${r.description})` : ''}`;
  if (r.status === 'importing' || !r.hasPlan) return new SeriesNotUsableError(`${name} is still being imported (or its import was interrupted): import it again`);
  if (r.status === 'missing-files' || r.goneCount) {
    return new SourceFilesMissingError(`${name}: ${r.goneCount || 'some'} of its ${r.fileCount} source files were missing at the last import${r.firstGone ? ` (e.g. ${r.firstGone})` : ''}`);
  }
  if (r.status === 'failed') return new SeriesNotUsableError(`${name} could not be loaded at import: ${r.unusable_reason ?? 'see its flags'}`);
  const dims = [r.dim_x ?? 0, r.dim_y ?? 0, r.dim_z ?? 0];
  const flat = dims.filter((d) => d <= 1).length;
  if (flat > 0) return new SeriesNotUsableError(`${name} is 2-D (${dims.join(' x ')} voxels): training needs a 3-D volume`);
  if (!r.usable) return new SeriesNotUsableError(`${name} is not usable for learning: ${r.unusable_reason ?? 'no reason recorded'}`);
  return null;
}

interface Row {
  id: number;
  kind: 'dicom' | 'nifti';
  status: string;
  modality: string | null;
  description: string | null;
  dim_x: number | null;
  dim_y: number | null;
  dim_z: number | null;
  dim_t: number;
  usable: number;
  unusable_reason: string | null;
  plan: string | null;
}

/** The input of one series, or the error that refuses it. */
export function seriesInputs(db: Db, ids: readonly number[]): (SeriesInput | Error)[] {
  const one = db.prepare(
    `SELECT id, kind, status, modality, description, dim_x, dim_y, dim_z, dim_t, usable, unusable_reason, plan FROM series WHERE id = ?`,
  );
  const files = db.prepare(`SELECT path, size, mtime_ms, missing_at FROM files WHERE series_id = ? ORDER BY path`);
  return ids.map((id) => {
    const r = one.get(id) as Row | undefined;
    if (!r) return new NotFoundError(`no series with id ${id}`);
    const rows = r.plan ? (files.all(id) as { path: string; size: number; mtime_ms: number; missing_at: string | null }[]) : [];
    const gone = rows.filter((f) => f.missing_at !== null);
    const refused = learningVerdict({ ...r, hasPlan: r.plan !== null, fileCount: rows.length, goneCount: gone.length, firstGone: gone[0]?.path ?? null });
    if (refused || !r.plan) return refused ?? new SeriesNotUsableError(`series ${id} has no volume plan`);
    return {
      seriesId: id,
      kind: r.kind,
      modality: (r.modality ?? '').toUpperCase(),
      plan: r.plan,
      files: rows.map((f) => [f.path, f.size, f.mtime_ms] as [string, number, number]),
      volumeCount: Math.max(1, r.dim_t),
    };
  });
}
