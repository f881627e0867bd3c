// Pure mappings from the imaging core's results to catalogue rows: a DICOM VolumePlan (one assembled
// volume of a series) or a NIfTI header -> patient, study and series values. Spacing comes from the plan
// (positions), never from SliceThickness; orientation codes and obliqueness from the affine.
import path from 'node:path';
import type { DicomHeader, NiftiHeaderInfo, VolumePlan } from '../imaging/index.js';
import type { PatientUpsert, SeriesUpsert, StudyUpsert } from './catalogue-writer.js';
import type { SeriesSource } from './series-source.js';
import { axisCodes, isOblique } from './orientation.js';
import { displayName, isoDate } from './dicom-values.js';

export interface SeriesFlagValue {
  code: string;
  reason: string;
}

/** Files a series UID groups by: the header's SeriesInstanceUID, or a per-folder stand-in when absent. */
export function seriesUidOf(h: DicomHeader): string {
  return h.series.uid || `nouid:${path.dirname(h.path)}`;
}

export function dicomPatient(h: DicomHeader): PatientUpsert {
  const pid = h.patient.id.trim();
  const key = pid ? `dicom:${pid}` : `dicom-anon:${h.patient.name}|${h.patient.birthDate}|${h.study.uid || path.dirname(h.path)}`;
  return {
    key,
    patientId: pid,
    name: displayName(h.patient.name),
    birthDate: isoDate(h.patient.birthDate),
    sex: h.patient.sex ?? '',
  };
}

export function dicomStudy(h: DicomHeader, patientId: number): StudyUpsert {
  return {
    patientId,
    uid: h.study.uid || `nouid:${path.dirname(h.path)}`,
    date: isoDate(h.study.date),
    time: h.study.time ?? '',
    description: h.study.description ?? '',
    accession: h.study.accession ?? '',
    studyId: h.study.id ?? '',
  };
}

/** Why a volume is not usable for learning, from its flags (null when usable). */
export function unusableReasonOf(usable: boolean, flags: SeriesFlagValue[]): string | null {
  if (usable) return null;
  const blocking = flags.filter((f) =>
    ['colour', 'no-pixels', 'mosaic', 'unsupported-transfer-syntax', 'single-slice', 'no-geometry', 'missing-files', 'unloadable'].includes(f.code),
  );
  return (blocking.length ? blocking : flags).map((f) => f.reason).join('; ') || 'not usable for learning';
}

export function dicomSeries(
  plan: VolumePlan,
  volumeKey: string,
  studyId: number,
  runId: number,
  notStacked: string[],
  extraFlags: SeriesFlagValue[],
): SeriesUpsert {
  const h = plan.header;
  const flags: SeriesFlagValue[] = [...plan.flags.map((f) => ({ code: f.code, reason: f.reason })), ...extraFlags];
  const usable = plan.usableForLearning && !extraFlags.some((f) => f.code === 'missing-files');
  const files = new Set(plan.slices.map((s) => s.path));
  const source: SeriesSource = { kind: 'dicom', plan };
  return {
    studyId,
    uid: plan.seriesUid || seriesUidOf(h),
    volumeKey,
    source: 'dicom',
    status: 'importing',
    modality: h.series.modality ?? '',
    bodyPart: h.series.bodyPart ?? '',
    description: h.series.description || plan.label || '',
    protocol: h.series.protocol ?? '',
    seriesNumber: h.series.number,
    date: isoDate(h.series.date) || isoDate(h.study.date),
    time: h.series.time ?? '',
    manufacturer: h.series.manufacturer ?? '',
    model: h.series.model ?? '',
    dims: plan.dims,
    spacing: [...plan.spacing],
    sliceThickness: h.sliceThickness,
    orientation: axisCodes(plan.affine),
    affine: JSON.stringify(plan.affine),
    sliceCount: plan.dims[2] ?? plan.slices.length,
    fileCount: files.size,
    transferSyntaxes: JSON.stringify(plan.transferSyntaxes),
    photometric: h.photometric ?? '',
    usable,
    unusableReason: unusableReasonOf(usable, flags),
    flags: JSON.stringify(flags),
    notStacked: JSON.stringify(notStacked),
    plan: JSON.stringify(source),
    runId,
    windowCenter: h.windowCenter,
    windowWidth: h.windowWidth,
    oblique: plan.oblique ?? isOblique(plan.affine),
  };
}

export function niftiPatient(file: string): PatientUpsert {
  const dir = path.dirname(file);
  return { key: `nifti:${dir}`, patientId: `nifti:${dir}`, name: path.basename(dir), birthDate: '', sex: '' };
}

export function niftiStudy(file: string, patientId: number): StudyUpsert {
  const dir = path.dirname(file);
  return { patientId, uid: `nifti:${dir}`, date: '', time: '', description: dir, accession: '', studyId: '' };
}

export function niftiSeriesUid(file: string): string {
  return `nifti:${file}`;
}

export function niftiSeries(
  file: string,
  h: NiftiHeaderInfo,
  studyId: number,
  runId: number,
  extraFlags: SeriesFlagValue[],
): SeriesUpsert {
  const dims = [h.dims[0] ?? 1, h.dims[1] ?? 1, h.dims[2] ?? 1];
  if (h.volumeCount > 1) dims.push(h.volumeCount);
  const spacing = [Math.abs(h.pixdim[0] ?? 1), Math.abs(h.pixdim[1] ?? 1), Math.abs(h.pixdim[2] ?? 1)];
  const flags: SeriesFlagValue[] = [...extraFlags];
  if (h.datatype === 'rgb24') flags.push({ code: 'colour', reason: 'RGB colour NIfTI (datatype rgb24)' });
  if (h.datatype === null) flags.push({ code: 'unsupported-datatype', reason: `NIfTI datatype ${h.datatypeCode} is not supported` });
  if (h.affineSource === 'pixdim') flags.push({ code: 'no-geometry', reason: 'no sform or qform: orientation unknown (pixdim only)' });
  const usable = flags.length === 0 || flags.every((f) => f.code === 'no-geometry');
  const source: SeriesSource = { kind: 'nifti', path: file, volumeCount: h.volumeCount, header: h };
  const base = path.basename(file).replace(/\.nii(\.gz)?$/i, '');
  return {
    studyId,
    uid: niftiSeriesUid(file),
    volumeKey: '',
    source: 'nifti',
    status: 'importing',
    modality: '',
    bodyPart: '',
    description: h.description ? `${base} (${h.description})` : base,
    protocol: '',
    seriesNumber: null,
    date: '',
    time: '',
    manufacturer: '',
    model: '',
    dims,
    spacing,
    sliceThickness: null,
    orientation: axisCodes(h.affine),
    affine: JSON.stringify(h.affine),
    sliceCount: dims[2],
    fileCount: 1,
    transferSyntaxes: JSON.stringify([h.path.toLowerCase().endsWith('.gz') ? 'nifti-gz' : 'nifti']),
    photometric: h.datatype === 'rgb24' ? 'RGB' : 'MONOCHROME2',
    usable,
    unusableReason: unusableReasonOf(usable, flags),
    flags: JSON.stringify(flags),
    notStacked: '[]',
    plan: JSON.stringify(source),
    runId,
    windowCenter: null,
    windowWidth: null,
    oblique: isOblique(h.affine),
  };
}
