// series:list: the filter becomes one parameterised WHERE clause (no string-built values), sorted by an
// allow-listed column, paged with LIMIT/OFFSET; `total` counts the whole match for the virtualised table.
import type { Db } from '../catalogue/database.js';
import type { ParsedArgs } from '../../contract/api.js';
import type { SeriesPage } from '../../contract/types.js';
import { SERIES_SELECT, seriesFromRow, type SeriesDbRow } from './series-row.js';

export type SeriesListArgs = ParsedArgs<'series:list'>;
export type SeriesFilter = SeriesListArgs['filter'];

const SORT_SQL: Record<SeriesListArgs['sort'], string> = {
  id: 's.id',
  date: "eff_date",
  modality: 's.modality COLLATE NOCASE',
  bodyPart: 's.body_part COLLATE NOCASE',
  description: 's.description COLLATE NOCASE',
  patient: 'p.patient_id COLLATE NOCASE',
  slices: 's.slice_count',
  importedAt: 's.created_at',
};

/** WHERE clause and its parameters for a filter. */
export function filterSql(f: SeriesFilter): { where: string; params: Record<string, unknown> } {
  const cond: string[] = [];
  const params: Record<string, unknown> = {};
  const list = (name: string, values: readonly (string | number)[]) => {
    const keys = values.map((v, i) => {
      params[`${name}${i}`] = v;
      return `@${name}${i}`;
    });
    return `(${keys.join(', ')})`;
  };
  if (f.modality?.length) cond.push(`upper(s.modality) IN ${list('mod', f.modality.map((m) => m.toUpperCase()))}`);
  if (f.bodyPart?.length) cond.push(`upper(s.body_part) IN ${list('bp', f.bodyPart.map((m) => m.toUpperCase()))}`);
  if (f.text?.trim()) {
    params.text = `%${f.text.trim().replace(/[\\%_]/g, (c) => '\\' + c)}%`;
    cond.push(
      `(s.description LIKE @text ESCAPE '\\' OR st.description LIKE @text ESCAPE '\\' OR p.patient_id LIKE @text ESCAPE '\\'
        OR p.name LIKE @text ESCAPE '\\' OR s.series_instance_uid LIKE @text ESCAPE '\\' OR s.protocol_name LIKE @text ESCAPE '\\')`,
    );
  }
  if (f.dateFrom) {
    params.dateFrom = f.dateFrom;
    cond.push(`eff_date <> '' AND eff_date >= @dateFrom`);
  }
  if (f.dateTo) {
    params.dateTo = f.dateTo;
    cond.push(`eff_date <> '' AND eff_date <= @dateTo`);
  }
  const axes = ['x', 'y', 'z'] as const;
  if (f.minDims) axes.forEach((a, i) => ((params[`min${a}`] = f.minDims![i]), cond.push(`s.dim_${a} >= @min${a}`)));
  if (f.maxDims) axes.forEach((a, i) => ((params[`max${a}`] = f.maxDims![i]), cond.push(`s.dim_${a} <= @max${a}`)));
  if (f.spacingMin !== undefined) {
    params.spMin = f.spacingMin;
    cond.push('min(s.spacing_x, s.spacing_y, s.spacing_z) >= @spMin');
  }
  if (f.spacingMax !== undefined) {
    params.spMax = f.spacingMax;
    cond.push('max(s.spacing_x, s.spacing_y, s.spacing_z) <= @spMax');
  }
  if (f.status?.length) cond.push(`s.status IN ${list('st', f.status)}`);
  if (f.kind) {
    params.kind = f.kind;
    cond.push('s.kind = @kind');
  }
  if (f.usableForLearning !== undefined) {
    params.usable = f.usableForLearning ? 1 : 0;
    cond.push('s.usable = @usable');
  }
  if (f.ids) {
    // Large id lists go through json_each (one parameter) rather than thousands of placeholders.
    params.ids = JSON.stringify(f.ids);
    cond.push('s.id IN (SELECT value FROM json_each(@ids))');
  }
  if (f.cohort !== undefined) {
    // A member whose series left the catalogue (or whose id now names another series) matches nothing.
    params.cohort = f.cohort;
    cond.push(
      `s.id IN (SELECT m.series_id FROM cohort_members m WHERE m.cohort_id = @cohort
         AND m.series_uid = s.series_instance_uid AND m.volume_key = s.volume_key)`,
    );
  }
  return { where: cond.length ? `WHERE ${cond.join(' AND ')}` : '', params };
}

/** Ids of every series matching the filter, ascending (a cohort's members resolved from its filter). */
export function matchingSeriesIds(db: Db, filter: SeriesFilter): number[] {
  const { where, params } = filterSql(filter ?? {});
  const sql = `SELECT s.id FROM series s JOIN studies st ON st.id = s.study_id JOIN patients p ON p.id = st.patient_id
    ${where.replace(/eff_date/g, "coalesce(nullif(s.series_date, ''), st.study_date, '')")} ORDER BY s.id`;
  return (db.prepare(sql).pluck().all(params) as number[]);
}

export function listSeries(db: Db, args: SeriesListArgs): SeriesPage {
  const { where, params } = filterSql(args.filter ?? {});
  const inner = `${SERIES_SELECT} ${where.replace(/eff_date/g, "coalesce(nullif(s.series_date, ''), st.study_date, '')")}`;
  const total = (db.prepare(`SELECT count(*) AS n FROM (${inner})`).get(params) as { n: number }).n;
  const dir = args.order === 'asc' ? 'ASC' : 'DESC';
  const rows = db
    .prepare(`${inner} ORDER BY ${SORT_SQL[args.sort]} ${dir}, s.id ${dir} LIMIT @limit OFFSET @offset`)
    .all({ ...params, limit: args.limit, offset: args.offset }) as SeriesDbRow[];
  return { total, rows: rows.map((r) => seriesFromRow(r)) };
}
