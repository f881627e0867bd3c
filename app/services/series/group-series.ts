// The Library's patient -> study -> series view, grouped in SQL so that it stays fast at 10,000+ series: the
// patients with series matching a filter (paged, with study and series counts, modalities, date range), and one
// patient's studies (with counts). The series of a study come from series:list with `studyIds`.
import type { Db } from '../catalogue/database.js';
import type { PatientGroup, PatientGroupPage, StudyGroup } from '../../contract/types.js';
import type { SeriesFilter } from '../../contract/calls/series.js';
import { matchSql } from './list-series.js';
import { EFF_DATE_SQL, SERIES_FROM } from './series-row.js';

export interface PatientArgs {
  filter: SeriesFilter;
  sort: 'patient' | 'date';
  order: 'asc' | 'desc';
  offset: number;
  limit: number;
}

interface PatientDbRow {
  id: number;
  patient_id: string | null;
  name: string | null;
  sex: string | null;
  birth_date: string | null;
  studies: number;
  series: number;
  modalities: string | null;
  date_from: string | null;
  date_to: string | null;
}

interface StudyDbRow {
  id: number;
  patient: number;
  uid: string;
  date: string | null;
  description: string | null;
  accession: string | null;
  series: number;
  modalities: string | null;
}

/** group_concat(DISTINCT ...) of modalities -> sorted list without blanks. */
function modalityList(joined: string | null): string[] {
  return (joined ?? '')
    .split(',')
    .filter((m) => m !== '')
    .sort();
}

export function listPatients(db: Db, args: PatientArgs): PatientGroupPage {
  const { where, params } = matchSql(args.filter);
  const counts = db
    .prepare(`SELECT count(DISTINCT p.id) AS patients, count(*) AS series ${SERIES_FROM} ${where}`)
    .get(params) as { patients: number; series: number };
  const dir = args.order === 'desc' ? 'DESC' : 'ASC';
  // Patients without a date (or without name and ID) come last in either direction.
  const label = "coalesce(nullif(p.name, ''), nullif(p.patient_id, ''))";
  const order =
    args.sort === 'date'
      ? `date_to IS NULL, date_to ${dir}, p.id ${dir}`
      : `${label} IS NULL, ${label} COLLATE NOCASE ${dir}, p.patient_id COLLATE NOCASE ${dir}, p.id ${dir}`;
  const rows = db
    .prepare(
      `SELECT p.id AS id, p.patient_id, p.name, p.sex, p.birth_date,
              count(DISTINCT st.id) AS studies, count(*) AS series,
              group_concat(DISTINCT nullif(s.modality, '')) AS modalities,
              min(nullif(${EFF_DATE_SQL}, '')) AS date_from, max(nullif(${EFF_DATE_SQL}, '')) AS date_to
       ${SERIES_FROM} ${where}
       GROUP BY p.id ORDER BY ${order} LIMIT @limit OFFSET @offset`,
    )
    .all({ ...params, limit: args.limit, offset: args.offset }) as PatientDbRow[];
  return {
    total: counts.patients,
    seriesTotal: counts.series,
    rows: rows.map(
      (r): PatientGroup => ({
        id: r.id,
        patientId: r.patient_id ?? '',
        name: r.name ?? '',
        sex: r.sex ?? '',
        birthDate: r.birth_date ?? '',
        studyCount: r.studies,
        seriesCount: r.series,
        modalities: modalityList(r.modalities),
        dateFrom: r.date_from ?? '',
        dateTo: r.date_to ?? '',
      }),
    ),
  };
}

export function listStudies(db: Db, filter: SeriesFilter, patient: number): StudyGroup[] {
  const { where, params } = matchSql({ ...filter, patientIds: [patient] });
  const rows = db
    .prepare(
      `SELECT st.id AS id, p.id AS patient, st.study_instance_uid AS uid, st.study_date AS date,
              st.description AS description, st.accession_number AS accession, count(*) AS series,
              group_concat(DISTINCT nullif(s.modality, '')) AS modalities
       ${SERIES_FROM} ${where}
       GROUP BY st.id ORDER BY coalesce(st.study_date, '') DESC, st.id DESC`,
    )
    .all(params) as StudyDbRow[];
  return rows.map((r) => ({
    id: r.id,
    patient: r.patient,
    uid: r.uid,
    date: r.date ?? '',
    description: r.description ?? '',
    accession: r.accession ?? '',
    seriesCount: r.series,
    modalities: modalityList(r.modalities),
  }));
}
