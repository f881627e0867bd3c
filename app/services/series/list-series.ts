// series:list and series:ids: the filter becomes one parameterised WHERE clause (no string-built values), sorted
// by an allow-listed column, paged with LIMIT/OFFSET; `total` counts the whole match for the virtualised table.
import type { Db } from '../catalogue/database.js';
import type { ParsedArgs } from '../../contract/api.js';
import type { SeriesPage, SeriesRow } from '../../contract/types.js';
import type { SeriesFilter } from '../../contract/calls/series.js';
import { EFF_DATE_SQL, SERIES_FROM, SERIES_SELECT, seriesFromRow, type SeriesDbRow } from './series-row.js';

export type SeriesListArgs = ParsedArgs<'series:list'>;
export type { SeriesFilter };

const SORT_SQL: Record<SeriesListArgs['sort'], string> = {
  id: 's.id',
  date: "eff_date",
  modality: 's.modality COLLATE NOCASE',
  bodyPart: 's.body_part COLLATE NOCASE',
  description: 's.description COLLATE NOCASE',
  patient: 'p.patient_id COLLATE NOCASE',
  slices: 's.slice_count',
  importedAt: 's.created_at',
  // Series without a number after the numbered ones (a study's series in acquisition order).
  seriesNumber: 'coalesce(s.series_number, 2147483647)',
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
  // Large id lists go through json_each (one parameter) rather than thousands of placeholders.
  const idList = (name: string, column: string, values: readonly number[] | undefined) => {
    if (!values) return;
    params[name] = JSON.stringify(values);
    cond.push(`${column} IN (SELECT value FROM json_each(@${name}))`);
  };
  idList('ids', 's.id', f.ids);
  idList('patientIds', 'p.id', f.patientIds);
  idList('studyIds', 'st.id', f.studyIds);
  if (f.cohort !== undefined) {
    // Members of a cohort (cohorts domain, migration 006); a member whose series left the catalogue, or whose id
    // now names another series, matches nothing.
    params.cohort = f.cohort;
    cond.push(
      `s.id IN (SELECT m.series_id FROM cohort_members m WHERE m.cohort_id = @cohort
         AND m.series_uid = s.series_instance_uid AND m.volume_key = s.volume_key)`,
    );
  }
  return { where: cond.length ? `WHERE ${cond.join(' AND ')}` : '', params };
}

/** filterSql with the series date spelled out, for queries over SERIES_FROM (which has no eff_date column). */
export function matchSql(f: SeriesFilter): { where: string; params: Record<string, unknown> } {
  const { where, params } = filterSql(f);
  return { where: where.replace(/eff_date/g, EFF_DATE_SQL), params };
}

/** Every series id matching the filter, ascending. */
export function seriesIds(db: Db, filter: SeriesFilter): number[] {
  const { where, params } = matchSql(filter);
  return (db.prepare(`SELECT s.id AS id ${SERIES_FROM} ${where} ORDER BY s.id`).all(params) as { id: number }[]).map((r) => r.id);
}

export function listSeries(db: Db, args: SeriesListArgs): SeriesPage {
  const { where, params } = matchSql(args.filter ?? {});
  const inner = `${SERIES_SELECT} ${where}`;
  const total = (db.prepare(`SELECT count(*) AS n FROM (${inner})`).get(params) as { n: number }).n;
  const dir = args.order === 'asc' ? 'ASC' : 'DESC';
  const rows = db
    .prepare(`${inner} ORDER BY ${SORT_SQL[args.sort]} ${dir}, s.id ${dir} LIMIT @limit OFFSET @offset`)
    .all({ ...params, limit: args.limit, offset: args.offset }) as SeriesDbRow[];
  return { total, rows: rows.map((r) => seriesFromRow(r)) };
}

/** Rows of these series, in the order given (unknown ids are left out). */
export function seriesRowsByIds(db: Db, ids: readonly number[]): SeriesRow[] {
  if (!ids.length) return [];
  const rows = db.prepare(`${SERIES_SELECT} WHERE s.id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids)) as SeriesDbRow[];
  const byId = new Map(rows.map((r) => [r.id, seriesFromRow(r)]));
  return ids.map((id) => byId.get(id)).filter((r): r is SeriesRow => r !== undefined);
}
