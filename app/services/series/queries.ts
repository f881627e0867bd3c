// The series domain's SQL for one series and the filter dropdowns: a series row by id, its volume plan, its
// files in volume order, and the facets. Lists, ids and groups of a filter are in list-series.ts and
// group-series.ts; the handlers only call these.
import type { Db } from '../catalogue/database.js';
import type { FacetCount, SeriesDetail, SeriesFacets, SeriesFile } from '../../contract/types.js';
import { NotFoundError } from '../../contract/errors.js';
import { seriesNotImported, type SeriesSource } from '../import/index.js';
import { SERIES_SELECT, seriesFromRow, type SeriesDbRow } from './series-row.js';

/** Most files listed for one series (`fileCount` has the total). */
const MAX_FILES = 5000;

export function seriesRowById(db: Db, id: number): SeriesDbRow {
  const r = db.prepare(`${SERIES_SELECT} WHERE s.id = ?`).get(id) as SeriesDbRow | undefined;
  if (!r) throw new NotFoundError(`no series with id ${id}`);
  return r;
}

export function seriesSource(r: SeriesDbRow): SeriesSource {
  if (!r.plan) throw new NotFoundError(`series ${r.id} (${r.series_instance_uid}) has no volume plan yet (still importing?)`);
  return JSON.parse(r.plan) as SeriesSource;
}

interface FileDbRow {
  path: string;
  size: number;
  mtime_ms: number;
  sop_instance_uid: string | null;
  instance_number: number | null;
  missing_at: string | null;
}

/** The files of a series: in volume order (with frame numbers) when it has a DICOM plan, then the rest. */
export function seriesFiles(db: Db, r: SeriesDbRow): SeriesFile[] {
  const rows = db
    .prepare(
      `SELECT path, size, mtime_ms, sop_instance_uid, instance_number, missing_at FROM files WHERE series_id = ?
       ORDER BY instance_number, path LIMIT ${MAX_FILES}`,
    )
    .all(r.id) as FileDbRow[];
  const files: SeriesFile[] = rows.map((f) => ({
    path: f.path,
    size: f.size,
    mtimeMs: f.mtime_ms,
    sopInstanceUid: f.sop_instance_uid ?? '',
    instanceNumber: f.instance_number,
    frame: 0,
    missing: f.missing_at !== null,
  }));
  if (!r.plan) return files;
  const src = JSON.parse(r.plan) as SeriesSource;
  if (src.kind !== 'dicom') return files;
  const byPath = new Map(files.map((f) => [f.path, f]));
  const ordered: SeriesFile[] = [];
  for (const s of src.plan.slices.slice(0, MAX_FILES)) {
    const f = byPath.get(s.path);
    if (f) ordered.push({ ...f, frame: s.frame, sopInstanceUid: s.sopInstanceUid || f.sopInstanceUid });
  }
  const inPlan = new Set(src.plan.slices.map((s) => s.path));
  return [...ordered, ...files.filter((f) => !inPlan.has(f.path))];
}

export function getSeries(db: Db, id: number): SeriesDetail {
  const r = seriesRowById(db, id);
  return {
    ...seriesFromRow(r),
    affine: r.affine ? (JSON.parse(r.affine) as number[][]) : [],
    window:
      r.window_center !== null && r.window_width !== null && r.window_width > 0
        ? { center: r.window_center, width: r.window_width }
        : null,
    files: seriesFiles(db, r),
    notStacked: JSON.parse(r.not_stacked) as string[],
    notImported: seriesNotImported({ db }, id),
  };
}

function facet(db: Db, column: 'modality' | 'body_part' | 'status'): FacetCount[] {
  return db
    .prepare(
      `SELECT ${column} AS value, count(*) AS count FROM series WHERE ${column} IS NOT NULL AND ${column} <> ''
       GROUP BY ${column} ORDER BY count DESC, value`,
    )
    .all() as FacetCount[];
}

export function seriesFacets(db: Db): SeriesFacets {
  const range = db
    .prepare(
      `SELECT min(d) AS min, max(d) AS max FROM (SELECT coalesce(nullif(s.series_date, ''), st.study_date) AS d
       FROM series s JOIN studies st ON st.id = s.study_id) WHERE d IS NOT NULL AND d <> ''`,
    )
    .get() as { min: string | null; max: string | null };
  return {
    modalities: facet(db, 'modality'),
    bodyParts: facet(db, 'body_part'),
    statuses: facet(db, 'status'),
    dateRange: { min: range.min ?? '', max: range.max ?? '' },
    total: (db.prepare('SELECT count(*) AS n FROM series').get() as { n: number }).n,
  };
}
