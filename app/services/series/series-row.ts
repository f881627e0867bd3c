// The SELECT behind every series read, and the mapping of its row to the contract's SeriesRow.
import type { SeriesFlag, SeriesRow, SeriesStatus } from '../../contract/types.js';

/** A series' date: its own, else its study's, '' when neither (what filters and sorts by date use). */
export const EFF_DATE_SQL = "coalesce(nullif(s.series_date, ''), st.study_date, '')";

/** Series with their study and patient (aliases s, st, p), for every query that filters series. */
export const SERIES_FROM = `
  FROM series s
  JOIN studies st ON st.id = s.study_id
  JOIN patients p ON p.id = st.patient_id`;

export const SERIES_SELECT = `
  SELECT s.*, st.id AS st_id, st.study_instance_uid AS st_uid, st.study_date AS st_date,
         st.description AS st_description, st.accession_number AS st_accession,
         p.id AS p_id, p.patient_id AS p_patient_id, p.name AS p_name, p.sex AS p_sex, p.birth_date AS p_birth_date,
         ${EFF_DATE_SQL} AS eff_date
  ${SERIES_FROM}`;

export interface SeriesDbRow {
  id: number;
  series_instance_uid: string;
  volume_key: string;
  kind: 'dicom' | 'nifti';
  status: SeriesStatus;
  modality: string | null;
  body_part: string | null;
  description: string | null;
  series_number: number | null;
  eff_date: string;
  manufacturer: string | null;
  dim_x: number | null;
  dim_y: number | null;
  dim_z: number | null;
  dim_t: number;
  spacing_x: number | null;
  spacing_y: number | null;
  spacing_z: number | null;
  orientation: string | null;
  oblique: number;
  slice_count: number;
  file_count: number;
  transfer_syntaxes: string;
  flags: string;
  usable: number;
  unusable_reason: string | null;
  created_at: string;
  updated_at: string;
  affine: string | null;
  plan: string | null;
  not_stacked: string;
  window_center: number | null;
  window_width: number | null;
  st_id: number;
  st_uid: string;
  st_date: string | null;
  st_description: string | null;
  st_accession: string | null;
  p_id: number;
  p_patient_id: string | null;
  p_name: string | null;
  p_sex: string | null;
  p_birth_date: string | null;
}

export function seriesFromRow(r: SeriesDbRow): SeriesRow {
  const dims = [r.dim_x ?? 0, r.dim_y ?? 0, r.dim_z ?? 0];
  if (r.dim_t > 1) dims.push(r.dim_t);
  const flags = (JSON.parse(r.flags) as { code?: string; flag?: string; reason: string }[]).map(
    (f): SeriesFlag => ({ code: f.code ?? f.flag ?? 'flag', reason: f.reason }),
  );
  return {
    id: r.id,
    kind: r.kind,
    seriesUid: r.series_instance_uid,
    volumeKey: r.volume_key,
    patient: {
      id: r.p_id,
      patientId: r.p_patient_id ?? '',
      name: r.p_name ?? '',
      sex: r.p_sex ?? '',
      birthDate: r.p_birth_date ?? '',
    },
    study: {
      id: r.st_id,
      uid: r.st_uid,
      date: r.st_date ?? '',
      description: r.st_description ?? '',
      accession: r.st_accession ?? '',
    },
    seriesNumber: r.series_number,
    modality: r.modality ?? '',
    bodyPart: r.body_part ?? '',
    description: r.description ?? '',
    date: r.eff_date ?? '',
    manufacturer: r.manufacturer ?? '',
    dims,
    spacing: [r.spacing_x ?? 0, r.spacing_y ?? 0, r.spacing_z ?? 0],
    orientation: r.orientation ?? '',
    oblique: r.oblique === 1,
    sliceCount: r.slice_count,
    volumeCount: Math.max(1, r.dim_t),
    fileCount: r.file_count,
    transferSyntaxes: JSON.parse(r.transfer_syntaxes) as string[],
    flags,
    status: r.status,
    usableForLearning: r.usable === 1,
    unusableReason: r.usable === 1 ? null : (r.unusable_reason ?? 'not usable for learning'),
    importedAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
