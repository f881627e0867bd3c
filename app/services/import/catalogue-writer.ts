// Every write the import makes to the catalogue, as prepared statements (prepared once per run, run inside
// the caller's transactions). Keys: files by absolute path, patients by patient_key, studies by
// StudyInstanceUID, series by (SeriesInstanceUID, volume key): re-imports update rows, never add twins.
import type { Db } from '../catalogue/database.js';
import type { NotImportedReason } from '../../contract/types.js';

export interface FileRow {
  id: number;
  path: string;
  size: number;
  mtime_ms: number;
  kind: 'dicom' | 'nifti' | 'other';
  series_id: number | null;
  series_uid: string | null;
  missing_at: string | null;
}

export interface FileUpsert {
  path: string;
  size: number;
  mtimeMs: number;
  kind: 'dicom' | 'nifti' | 'other';
  sopInstanceUid: string | null;
  sopClassUid: string | null;
  transferSyntax: string | null;
  seriesUid: string | null;
  instanceNumber: number | null;
  frameCount: number;
  header: string | null;
}

export interface PatientUpsert {
  key: string;
  patientId: string;
  name: string;
  birthDate: string;
  sex: string;
}

export interface StudyUpsert {
  patientId: number;
  uid: string;
  date: string;
  time: string;
  description: string;
  accession: string;
  studyId: string;
}

export interface SeriesUpsert {
  studyId: number;
  uid: string;
  /** '' for a whole series; the volume's key when dcm2niix's rules split it. */
  volumeKey: string;
  source: 'dicom' | 'nifti';
  status: 'importing' | 'complete' | 'missing-files' | 'failed';
  modality: string;
  bodyPart: string;
  description: string;
  protocol: string;
  seriesNumber: number | null;
  date: string;
  time: string;
  manufacturer: string;
  model: string;
  dims: number[];
  spacing: number[];
  sliceThickness: number | null;
  orientation: string;
  affine: string;
  sliceCount: number;
  fileCount: number;
  transferSyntaxes: string;
  photometric: string;
  usable: boolean;
  unusableReason: string | null;
  flags: string;
  notStacked: string;
  plan: string;
  runId: number;
  windowCenter: number | null;
  windowWidth: number | null;
  oblique: boolean;
}

const now = () => new Date().toISOString();

export class CatalogueWriter {
  private readonly sFilesUnder;
  private readonly sFileByPath;
  private readonly sUpsertFile;
  private readonly sDeleteFile;
  private readonly sMarkMissing;
  private readonly sClearMissing;
  private readonly sSeriesImporting;
  private readonly sInsertError;
  private readonly sUpsertPatient;
  private readonly sUpsertStudy;
  private readonly sUpsertSeries;
  private readonly sPointFile;
  private readonly sSeriesOfUid;
  private readonly sDeleteSeries;
  private readonly sFinishSeries;
  private readonly sDicomRowsOfUid;
  private readonly sDicomFilesOfUid;
  private readonly sHeaderOf;
  private readonly sPointSeriesFiles;
  private readonly sMarkNotImported;

  constructor(readonly db: Db) {
    this.sFilesUnder = db.prepare(
      `SELECT id, path, size, mtime_ms, kind, series_id, series_uid, missing_at FROM files
       WHERE path = @root OR (path >= @lo AND path < @hi)`,
    );
    this.sFileByPath = db.prepare(
      'SELECT id, path, size, mtime_ms, kind, series_id, series_uid, missing_at FROM files WHERE path = ?',
    );
    this.sUpsertFile = db.prepare(
      `INSERT INTO files (path, size, mtime_ms, kind, sop_instance_uid, sop_class_uid, transfer_syntax, series_id,
         series_uid, instance_number, frame_count, header, last_run_id, missing_at)
       VALUES (@path, @size, @mtimeMs, @kind, @sopInstanceUid, @sopClassUid, @transferSyntax, NULL,
         @seriesUid, @instanceNumber, @frameCount, @header, @runId, NULL)
       ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, kind = excluded.kind,
         sop_instance_uid = excluded.sop_instance_uid, sop_class_uid = excluded.sop_class_uid,
         transfer_syntax = excluded.transfer_syntax, series_id = NULL, series_uid = excluded.series_uid,
         instance_number = excluded.instance_number, frame_count = excluded.frame_count, header = excluded.header,
         last_run_id = excluded.last_run_id, missing_at = NULL`,
    );
    this.sDeleteFile = db.prepare('DELETE FROM files WHERE path = ?');
    this.sMarkMissing = db.prepare('UPDATE files SET missing_at = ?, last_run_id = ? WHERE id = ?');
    this.sClearMissing = db.prepare('UPDATE files SET missing_at = NULL, last_run_id = ? WHERE id = ?');
    this.sSeriesImporting = db.prepare(
      `UPDATE series SET status = 'importing', run_id = ?, updated_at = ? WHERE id = ?`,
    );
    this.sInsertError = db.prepare(
      'INSERT INTO file_errors (run_id, path, reason, message, sop_class_uid, at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.sUpsertPatient = db.prepare(
      `INSERT INTO patients (patient_key, patient_id, name, birth_date, sex)
       VALUES (@key, @patientId, @name, @birthDate, @sex)
       ON CONFLICT(patient_key) DO UPDATE SET
         name = coalesce(nullif(excluded.name, ''), patients.name),
         birth_date = coalesce(nullif(excluded.birth_date, ''), patients.birth_date),
         sex = coalesce(nullif(excluded.sex, ''), patients.sex)
       RETURNING id`,
    );
    this.sUpsertStudy = db.prepare(
      `INSERT INTO studies (patient_id, study_instance_uid, study_date, study_time, description, accession_number, study_id)
       VALUES (@patientId, @uid, @date, @time, @description, @accession, @studyId)
       ON CONFLICT(study_instance_uid) DO UPDATE SET
         study_date = coalesce(nullif(excluded.study_date, ''), studies.study_date),
         study_time = coalesce(nullif(excluded.study_time, ''), studies.study_time),
         description = coalesce(nullif(excluded.description, ''), studies.description),
         accession_number = coalesce(nullif(excluded.accession_number, ''), studies.accession_number),
         study_id = coalesce(nullif(excluded.study_id, ''), studies.study_id)
       RETURNING id`,
    );
    this.sUpsertSeries = db.prepare(
      `INSERT INTO series (study_id, series_instance_uid, volume_key, kind, status, modality, body_part, description,
         protocol_name, series_number, series_date, series_time, manufacturer, manufacturer_model,
         dim_x, dim_y, dim_z, dim_t, spacing_x, spacing_y, spacing_z, slice_thickness, orientation, affine,
         slice_count, file_count, transfer_syntaxes, photometric, usable, unusable_reason, flags,
         not_stacked, plan, run_id, window_center, window_width, oblique, created_at, updated_at)
       VALUES (@studyId, @uid, @volumeKey, @source, @status, @modality, @bodyPart, @description,
         @protocol, @seriesNumber, @date, @time, @manufacturer, @model,
         @dimX, @dimY, @dimZ, @dimT, @spX, @spY, @spZ, @sliceThickness, @orientation, @affine,
         @sliceCount, @fileCount, @transferSyntaxes, @photometric, @usable, @unusableReason, @flags,
         @notStacked, @plan, @runId, @windowCenter, @windowWidth, @oblique, @now, @now)
       ON CONFLICT(series_instance_uid, volume_key) DO UPDATE SET
         study_id = excluded.study_id, kind = excluded.kind, status = excluded.status,
         modality = excluded.modality, body_part = excluded.body_part, description = excluded.description,
         protocol_name = excluded.protocol_name, series_number = excluded.series_number,
         series_date = excluded.series_date, series_time = excluded.series_time,
         manufacturer = excluded.manufacturer, manufacturer_model = excluded.manufacturer_model,
         dim_x = excluded.dim_x, dim_y = excluded.dim_y, dim_z = excluded.dim_z, dim_t = excluded.dim_t,
         spacing_x = excluded.spacing_x, spacing_y = excluded.spacing_y, spacing_z = excluded.spacing_z,
         slice_thickness = excluded.slice_thickness, orientation = excluded.orientation, affine = excluded.affine,
         slice_count = excluded.slice_count, file_count = excluded.file_count,
         transfer_syntaxes = excluded.transfer_syntaxes, photometric = excluded.photometric,
         usable = excluded.usable, unusable_reason = excluded.unusable_reason, flags = excluded.flags,
         not_stacked = excluded.not_stacked, plan = excluded.plan,
         run_id = excluded.run_id, window_center = excluded.window_center, window_width = excluded.window_width,
         oblique = excluded.oblique, updated_at = excluded.updated_at
       RETURNING id`,
    );
    this.sPointFile = db.prepare('UPDATE files SET series_id = ? WHERE path = ?');
    this.sSeriesOfUid = db.prepare('SELECT id, volume_key FROM series WHERE series_instance_uid = ?');
    this.sDeleteSeries = db.prepare('DELETE FROM series WHERE id = ?');
    this.sFinishSeries = db.prepare(
      `UPDATE series SET status = @status, flags = @flags, usable = @usable, unusable_reason = @unusableReason,
         thumbnail = @thumbnail, updated_at = @now WHERE id = @id AND run_id = @runId`,
    );
    this.sDicomRowsOfUid = db.prepare(
      `SELECT path, header, missing_at FROM files WHERE series_uid = ? AND kind = 'dicom'`,
    );
    this.sDicomFilesOfUid = db.prepare(
      `SELECT path, missing_at, header IS NOT NULL AS has_header FROM files WHERE series_uid = ? AND kind = 'dicom'`,
    );
    this.sHeaderOf = db.prepare('SELECT header FROM files WHERE path = ?').pluck();
    this.sMarkNotImported = db.prepare(`UPDATE files SET kind = 'other', header = NULL, series_id = ? WHERE path = ?`);
    this.sPointSeriesFiles = db.prepare(
      `UPDATE files SET series_id = ? WHERE series_uid = ? AND kind = 'dicom' AND missing_at IS NULL AND header IS NOT NULL`,
    );
  }

  /** Catalogued files under a root (the root itself when it is a file). */
  filesUnder(root: string, sep = '/'): FileRow[] {
    const base = root.endsWith(sep) ? root.slice(0, -1) : root;
    // Paths under base/ sort between "base/" and "base0" ('0' is the character after '/').
    return this.sFilesUnder.all({ root: base, lo: base + sep, hi: base + String.fromCharCode(sep.charCodeAt(0) + 1) }) as FileRow[];
  }

  fileByPath(path: string): FileRow | undefined {
    return this.sFileByPath.get(path) as FileRow | undefined;
  }

  upsertFile(f: FileUpsert, runId: number): void {
    this.sUpsertFile.run({ ...f, runId });
  }

  deleteFile(path: string): void {
    this.sDeleteFile.run(path);
  }

  markMissing(fileId: number, runId: number): void {
    this.sMarkMissing.run(now(), runId, fileId);
  }

  clearMissing(fileId: number, runId: number): void {
    this.sClearMissing.run(runId, fileId);
  }

  /** A series whose files are about to change is no longer complete until re-assembled. */
  seriesImporting(seriesId: number, runId: number): void {
    this.sSeriesImporting.run(runId, now(), seriesId);
  }

  insertError(runId: number, path: string, reason: NotImportedReason, message: string, sopClassUid: string | null): void {
    this.sInsertError.run(runId, path, reason, message, sopClassUid, now());
  }

  upsertPatient(p: PatientUpsert): number {
    return (this.sUpsertPatient.get(p) as { id: number }).id;
  }

  upsertStudy(s: StudyUpsert): number {
    return (this.sUpsertStudy.get(s) as { id: number }).id;
  }

  upsertSeries(s: SeriesUpsert): number {
    const [dimX, dimY, dimZ] = s.dims;
    const row = this.sUpsertSeries.get({
      studyId: s.studyId,
      uid: s.uid,
      volumeKey: s.volumeKey,
      source: s.source,
      status: s.status,
      modality: s.modality,
      bodyPart: s.bodyPart,
      description: s.description,
      protocol: s.protocol,
      seriesNumber: s.seriesNumber,
      date: s.date,
      time: s.time,
      manufacturer: s.manufacturer,
      model: s.model,
      dimX: dimX ?? null,
      dimY: dimY ?? null,
      dimZ: dimZ ?? null,
      dimT: s.dims[3] ?? 1,
      spX: s.spacing[0] ?? null,
      spY: s.spacing[1] ?? null,
      spZ: s.spacing[2] ?? null,
      sliceThickness: s.sliceThickness,
      orientation: s.orientation,
      affine: s.affine,
      sliceCount: s.sliceCount,
      fileCount: s.fileCount,
      transferSyntaxes: s.transferSyntaxes,
      photometric: s.photometric,
      usable: s.usable ? 1 : 0,
      unusableReason: s.unusableReason,
      flags: s.flags,
      notStacked: s.notStacked,
      plan: s.plan,
      runId: s.runId,
      windowCenter: s.windowCenter,
      windowWidth: s.windowWidth,
      oblique: s.oblique ? 1 : 0,
      now: now(),
    }) as { id: number };
    return row.id;
  }

  pointFile(path: string, seriesId: number): void {
    this.sPointFile.run(seriesId, path);
  }

  seriesOfUid(uid: string): { id: number; volume_key: string }[] {
    return this.sSeriesOfUid.all(uid) as { id: number; volume_key: string }[];
  }

  deleteSeries(id: number): void {
    this.sDeleteSeries.run(id);
  }

  /** Flips a series to its final status; only if this run still owns it. */
  finishSeries(f: {
    id: number;
    runId: number;
    status: 'complete' | 'missing-files' | 'failed';
    flags: string;
    usable: boolean;
    unusableReason: string | null;
    thumbnail: string | null;
  }): boolean {
    return this.sFinishSeries.run({ ...f, usable: f.usable ? 1 : 0, now: now() }).changes > 0;
  }

  dicomRowsOfUid(uid: string): { path: string; header: string | null; missing_at: string | null }[] {
    return this.sDicomRowsOfUid.all(uid) as { path: string; header: string | null; missing_at: string | null }[];
  }

  /** The DICOM files of a series UID without their headers (has_header: 1 when one is stored). */
  dicomFilesOfUid(uid: string): { path: string; missing_at: string | null; has_header: number }[] {
    return this.sDicomFilesOfUid.all(uid) as { path: string; missing_at: string | null; has_header: number }[];
  }

  headerOf(path: string): string | null {
    return (this.sHeaderOf.get(path) as string | null | undefined) ?? null;
  }

  /**
   * A file read as an image that is not imported after all (undecodable, a duplicate copy): no longer
   * assembled (kind 'other', no header) until it changes on disk; `seriesId` keeps it listed with its series.
   */
  markNotImported(path: string, seriesId: number | null): void {
    this.sMarkNotImported.run(seriesId, path);
  }

  /** Points every present DICOM file of a series UID (on disk, with a header) at one series row. */
  pointSeriesFiles(uid: string, seriesId: number): void {
    this.sPointSeriesFiles.run(seriesId, uid);
  }
}
