// Step 3 of an import run: every touched DICOM series UID is assembled with the imaging core's
// assembleSeries (dcm2niix's stacking rules) in the worker pool, all at once (a series of thousands of
// slices would otherwise hold the main thread, which serves HTTP/WebSocket calls, for a second or more);
// the catalogue writes follow in the original order (so series ids are stable), one transaction per
// series UID with a turn of the event loop between: patient / study / series rows with status
// 'importing', files pointed at their series. NIfTI files are catalogued one series per file. Each
// series written is handed to `touched` at once, so its thumbnails start while the rest is assembled.
// Identical copies of a file at other paths are dropped by the worker before assembly and recorded once
// (the copies: not imported, reason 'duplicate'); a series whose undecodable files the finisher left out
// is re-assembled from the rest by reassembleWithout.
import type { NotImportedReason } from '../../contract/types.js';
import type { NiftiHeaderInfo, VolumePlan } from '../imaging/index.js';
import type { AssembleResult } from '../../workers/import-worker.js';
import { yieldToLoop, type ImportState, type TouchedSeries } from './import-state.js';
import {
  dicomPatient,
  dicomSeries,
  dicomStudy,
  niftiPatient,
  niftiSeries,
  niftiSeriesUid,
  niftiStudy,
  type SeriesFlagValue,
} from './series-record.js';

type FilesOfUid = ReturnType<ImportState['w']['dicomFilesOfUid']>;

/** Returns false when cancelled. */
export async function assembleTouched(st: ImportState, touched: (t: TouchedSeries) => void): Promise<boolean> {
  const total = st.dirtyUids.size + st.dirtyNifti.size;
  let assembled = 0;
  st.report('assemble', 0, total, `assembling ${total} series`);
  const uids = [...st.dirtyUids];
  const filesOf: FilesOfUid[] = [];
  const assemblies: Promise<AssembleResult | null>[] = [];
  let slice = performance.now();
  for (const uid of uids) {
    const rows = st.w.dicomFilesOfUid(uid);
    filesOf.push(rows);
    const present = rows.filter((r) => !r.missing_at && r.has_header);
    // Files catalogued before this run are the ones kept over identical copies found now.
    const prefer = present.filter((r) => !st.memHeaders.has(r.path)).map((r) => r.path);
    const a = present.length
      ? st.o.pool().run<AssembleResult>(
          { type: 'assemble', headers: present.map((r) => st.memHeaders.get(r.path) ?? st.w.headerOf(r.path)!), prefer },
          st.o.job?.signal,
        )
      : Promise.resolve(null);
    a.catch(() => {}); // surfaced when awaited in turn
    assemblies.push(a);
    if (performance.now() - slice > 10) {
      await yieldToLoop();
      slice = performance.now();
    }
  }
  for (let i = 0; i < uids.length; i++) {
    if (st.cancelled()) return false;
    // A cancel drops the assemblies still queued (CancelledError): stop here, not with an error.
    const assembly = await assemblies[i].catch((err: unknown) => {
      if (st.cancelled()) return null;
      throw err;
    });
    if (st.cancelled()) return false;
    for (const t of assembleUid(st, uids[i], filesOf[i], assembly)) touched(t);
    st.report('assemble', ++assembled, total);
  }
  for (const file of st.dirtyNifti) {
    if (st.cancelled()) return false;
    const t = catalogueNifti(st, file);
    if (t) touched(t);
    st.report('assemble', ++assembled, total);
    if (assembled % 32 === 0) await yieldToLoop();
  }
  return true;
}

/**
 * A file read as an image that the import does not use after all (undecodable pixels, a duplicate copy):
 * recorded with its reason, kept out of later assemblies (kind 'other', until it changes on disk) and
 * moved from the imported (or unchanged) files to the files not imported. Inside a transaction.
 */
export function leaveOutFile(st: ImportState, path: string, reason: NotImportedReason, message: string, seriesId: number | null): void {
  st.w.insertError(st.run, path, reason, message, null);
  st.w.markNotImported(path, seriesId);
  if (st.memHeaders.delete(path)) st.counts.filesImported--;
  else st.counts.filesUnchanged--;
  st.counts.notImported++;
}

function assembleUid(st: ImportState, uid: string, rows: FilesOfUid, result: AssembleResult | null): TouchedSeries[] {
  const { db, w, run, counts } = st;
  const duplicates = result?.duplicates ?? [];
  const copies = new Set(duplicates.map((d) => d.path));
  const present = rows.filter((r) => !r.missing_at && r.has_header && !copies.has(r.path));
  const assembly = result?.assembly ?? null;
  const missing = rows.length - present.length - copies.size;
  const existing = w.seriesOfUid(uid);
  const touched: TouchedSeries[] = [];
  db.transaction(() => {
    for (const d of duplicates) {
      leaveOutFile(st, d.path, 'duplicate', `${d.path}: same content as ${d.sameAs} (recorded once, from there)`, null);
    }
    if (!present.length) {
      // Every file of the series is gone (or was replaced by something else).
      for (const s of existing) {
        const reason = `all ${missing} files of this series are gone from disk (rescan ${new Date().toISOString().slice(0, 10)})`;
        db.prepare(
          `UPDATE series SET status = 'missing-files', usable = 0, unusable_reason = ?, run_id = ?,
             flags = json_insert(flags, '$[#]', json_object('code', 'missing-files', 'reason', ?)),
             updated_at = ? WHERE id = ?`,
        ).run(reason, run, reason, new Date().toISOString(), s.id);
        counts.seriesUpdated++;
      }
      return;
    }
    if (!assembly) throw new Error(`series ${uid}: no assembly for its ${present.length} files`);
    const notStacked = assembly.notStacked.map((n) => n.reason);
    const extra: SeriesFlagValue[] = missing
      ? [{ code: 'missing-files', reason: `${missing} of ${rows.length - copies.size} files of this series are gone from disk` }]
      : [];
    const placed = new Set<string>();
    const existingKeys = new Set(existing.map((e) => e.volume_key));
    const single = assembly.volumes.length === 1;
    const keys = assembly.volumes.map((p, i) => (single ? '' : p.key.includes('#') ? p.key.slice(p.key.lastIndexOf('#') + 1) : String(i)));
    let firstId = -1;
    assembly.volumes.forEach((plan, i) => {
      const h = plan.header;
      const patientId = w.upsertPatient(dicomPatient(h));
      const studyId = w.upsertStudy(dicomStudy(h, patientId));
      const rec = dicomSeries(plan, keys[i], studyId, run, notStacked, extra);
      rec.uid = uid;
      const id = w.upsertSeries(rec);
      if (firstId < 0) firstId = id;
      if (existingKeys.has(keys[i])) counts.seriesUpdated++;
      else counts.seriesAdded++;
      if (single) {
        // Every present file (slices, and those the assembly left out: duplicates ...) is this series'.
        w.pointSeriesFiles(uid, id);
      } else {
        for (const s of plan.slices) {
          if (placed.has(s.path)) continue;
          placed.add(s.path);
          w.pointFile(s.path, id);
        }
      }
      touched.push({
        id,
        missing,
        flags: JSON.parse(rec.flags) as SeriesFlagValue[],
        usable: rec.usable,
        source: { kind: 'dicom', plan },
        description: rec.description,
      });
    });
    // Files the assembly left out (duplicates ...) stay with the series' first volume, not pending; so do
    // identical copies (listed on the series' page with the copy that was kept).
    if (!single && firstId > 0) for (const r of present) if (!placed.has(r.path)) w.pointFile(r.path, firstId);
    if (firstId > 0) for (const d of duplicates) w.pointFile(d.path, firstId);
    for (const s of existing) if (!keys.includes(s.volume_key)) w.deleteSeries(s.id);
  })();
  return touched;
}

function catalogueNifti(st: ImportState, file: string): TouchedSeries | null {
  const { db, w, run, counts } = st;
  const row = w.fileByPath(file);
  let touched: TouchedSeries | null = null;
  db.transaction(() => {
    const existing = w.seriesOfUid(niftiSeriesUid(file));
    if (!row || row.missing_at || row.kind !== 'nifti') {
      for (const s of existing) {
        const reason = row && row.kind !== 'nifti' ? 'the file is no longer a readable NIfTI' : 'the file is gone from disk';
        db.prepare(
          `UPDATE series SET status = ?, usable = 0, unusable_reason = ?, run_id = ?,
             flags = json_insert(flags, '$[#]', json_object('code', ?, 'reason', ?)),
             updated_at = ? WHERE id = ?`,
        ).run(
          row && row.kind !== 'nifti' ? 'failed' : 'missing-files',
          reason,
          run,
          row && row.kind !== 'nifti' ? 'unreadable' : 'missing-files',
          reason,
          new Date().toISOString(),
          s.id,
        );
        counts.seriesUpdated++;
      }
      return;
    }
    let json = st.memNifti.get(file);
    if (!json) {
      const hdr = db.prepare('SELECT header FROM files WHERE id = ?').get(row.id) as { header: string | null };
      if (!hdr.header) return;
      json = hdr.header;
    }
    const h = JSON.parse(json) as NiftiHeaderInfo;
    const patientId = w.upsertPatient(niftiPatient(file));
    const studyId = w.upsertStudy(niftiStudy(file, patientId));
    const rec = niftiSeries(file, h, studyId, run, []);
    const id = w.upsertSeries(rec);
    if (existing.length) counts.seriesUpdated++;
    else counts.seriesAdded++;
    w.pointFile(file, id);
    touched = {
      id,
      missing: 0,
      flags: JSON.parse(rec.flags) as SeriesFlagValue[],
      usable: rec.usable,
      source: { kind: 'nifti', path: file, volumeCount: h.volumeCount, header: h },
      description: rec.description,
    };
  })();
  return touched;
}

/**
 * Re-writes series `t` (same row: same UID and volume key) from the plan the assembly made of its files
 * without the ones left out; the flag `leftOut` says which and why. Returns the series to finish again.
 */
export function reassembleWithout(st: ImportState, t: TouchedSeries, plan: VolumePlan, notStacked: string[], leftOut: SeriesFlagValue): TouchedSeries {
  const row = st.db.prepare('SELECT volume_key, study_id FROM series WHERE id = ?').get(t.id) as { volume_key: string; study_id: number };
  const extra = [...t.flags.filter((f) => f.code === 'missing-files'), leftOut];
  const rec = dicomSeries(plan, row.volume_key, row.study_id, st.run, notStacked, extra);
  const id = st.w.upsertSeries(rec);
  return {
    id,
    missing: t.missing,
    flags: JSON.parse(rec.flags) as SeriesFlagValue[],
    usable: rec.usable,
    source: { kind: 'dicom', plan },
    description: rec.description,
  };
}
