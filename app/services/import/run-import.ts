// One import run, start to end (the body of an 'import' job):
//   0. recovery: runs whose process died are marked interrupted; their half-written series and their
//      parsed-but-unassembled files are redone by this run (so kill -9 then re-run leaves no duplicates
//      and nothing half-imported shown as complete);
//   1. scan the roots; compare with the catalogue by (path, size, mtime): new and changed files are
//      parsed, unchanged ones skipped, catalogued files no longer found are marked missing;
//   2. parse headers in the worker pool (batches of files per message), writing each batch's files and
//      per-file errors in one transaction;
//   3. assemble every touched series UID with the imaging core's assembleSeries (dcm2niix's rules, in the
//      worker pool) and write patient / study / series rows with status 'importing' (one transaction per series UID);
//   4. thumbnails (workers load the volume and write the PNG cache), then flip each series to 'complete'
//      ('missing-files' when files are gone, 'failed' when its voxels cannot be loaded) in its own transaction.
import type { Db } from '../catalogue/database.js';
import type { JobContext } from '../jobs/job-manager.js';
import type { ImportProgressDetail, ImportRun, ImportStep } from '../../contract/types.js';
import type { Assembly, NiftiHeaderInfo } from '../imaging/index.js';
import { CatalogueWriter, type FileRow } from './catalogue-writer.js';
import type { WireParsed, FileToParse } from './parse-file.js';
import { scanRoots } from './scan.js';
import type { ValidatedRoot } from './validate-paths.js';
import type { ImportWorkerPool } from './worker-pool.js';
import { finishRun, getRun, markDeadRuns, type RunCounts } from './runs.js';
import {
  dicomPatient,
  dicomSeries,
  dicomStudy,
  niftiPatient,
  niftiSeries,
  niftiSeriesUid,
  niftiStudy,
  unusableReasonOf,
  type SeriesFlagValue,
} from './series-record.js';
import { thumbnailPath, type WrittenThumb } from './thumbnail-cache.js';
import type { SeriesSource } from './series-source.js';
import { exportName } from './export-series.js';
import path from 'node:path';
import fs from 'node:fs';

export interface ImportOptions {
  db: Db;
  dataDir: string;
  run: number;
  roots: ValidatedRoot[];
  pool: () => ImportWorkerPool;
  thumbnails: boolean;
  /** Also write each touched series as NIfTI into this folder (CLI `--export-nifti`), from the same load. */
  exportNifti?: { dir: string; gzip: boolean };
  job?: Pick<JobContext, 'progress' | 'signal'>;
}

interface TouchedSeries {
  id: number;
  missing: number;
  flags: SeriesFlagValue[];
  usable: boolean;
  source: SeriesSource;
  description: string;
}

export async function runImport(o: ImportOptions): Promise<ImportRun> {
  const { db, run } = o;
  const w = new CatalogueWriter(db);
  const counts: RunCounts = {
    filesScanned: 0,
    filesParsed: 0,
    filesUnchanged: 0,
    filesMissing: 0,
    errors: 0,
    seriesAdded: 0,
    seriesUpdated: 0,
  };
  let bytesRead = 0;
  const seriesUids = new Set<string>();
  const report = (step: ImportStep, current: number, total: number, message?: string) => {
    const detail: ImportProgressDetail = {
      run,
      step,
      filesScanned: counts.filesScanned,
      filesParsed: counts.filesParsed,
      filesUnchanged: counts.filesUnchanged,
      seriesFound: seriesUids.size,
      errors: counts.errors,
      bytesRead,
    };
    o.job?.progress({ step, current, total, message, detail: detail as unknown as Record<string, unknown> });
  };
  const cancelled = () => o.job?.signal.aborted === true;

  // Checkpoint the WAL at the end rather than every 1000 pages: each automatic checkpoint mid-import
  // copies pages back and syncs, which more than doubled the time of the header writes (measured on
  // 2080 files: 206 ms against 730 ms). Bounded at 64 MiB of WAL; restored when the run ends.
  const prevCheckpoint = Number(db.pragma('wal_autocheckpoint', { simple: true }));
  db.pragma('wal_autocheckpoint = 16384');

  try {
    // Start the worker threads now: they load their modules while the main thread scans.
    if (o.roots.length) o.pool();

    // 0. recovery ---------------------------------------------------------------------------------
    const dead = markDeadRuns(db);
    const deadSet = new Set(dead);
    const ownedByDeadOrNone = (runId: number | null) =>
      runId == null || deadSet.has(runId) || !isRunning(db, runId) || runId === run;

    // DICOM series UIDs to (re)assemble, NIfTI files to (re)catalogue.
    const dirtyUids = new Set<string>();
    const dirtyNifti = new Set<string>();

    const pending = db
      .prepare(
        `SELECT f.path, f.kind, f.series_uid, f.last_run_id FROM files f
         WHERE f.series_id IS NULL AND f.kind IN ('dicom','nifti') AND f.missing_at IS NULL`,
      )
      .all() as { path: string; kind: string; series_uid: string | null; last_run_id: number | null }[];
    for (const p of pending) {
      if (!ownedByDeadOrNone(p.last_run_id)) continue;
      if (p.kind === 'nifti') dirtyNifti.add(p.path);
      else if (p.series_uid) dirtyUids.add(p.series_uid);
    }
    const halfDone = db
      .prepare(`SELECT id, series_instance_uid AS uid, kind, run_id FROM series WHERE status = 'importing'`)
      .all() as { id: number; uid: string; kind: string; run_id: number | null }[];
    for (const s of halfDone) {
      if (!ownedByDeadOrNone(s.run_id)) continue;
      if (s.kind === 'nifti') dirtyNifti.add(s.uid.slice('nifti:'.length));
      else dirtyUids.add(s.uid);
    }

    // 1. scan ---------------------------------------------------------------------------------------
    report('scan', 0, 0, 'scanning folders');
    const dataDirExclude = [o.dataDir];
    const scan = await scanRoots(o.roots, {
      exclude: dataDirExclude,
      signal: o.job?.signal,
      onProgress: (n) => {
        counts.filesScanned = n;
        report('scan', n, 0);
      },
    });
    counts.filesScanned = scan.files.length;
    if (cancelled()) return end('cancelled', null);

    const toParse: FileToParse[] = [];
    const known = new Map<string, FileRow>();
    for (const r of o.roots) for (const row of w.filesUnder(r.path)) known.set(row.path, row);
    const seen = new Set<string>();
    db.transaction(() => {
      for (const e of scan.problems) {
        w.insertError(run, e.path, 'unreadable', `${e.path}: ${e.message}`, null);
        counts.errors++;
      }
      for (const f of scan.files) {
        seen.add(f.path);
        const row = known.get(f.path);
        if (row && row.size === f.size && row.mtime_ms === f.mtimeMs) {
          counts.filesUnchanged++;
          if (row.missing_at) {
            // Back on disk unchanged: its series is whole again.
            w.clearMissing(row.id, run);
            touchRow(row);
          }
          continue;
        }
        if (row) touchRow(row); // changed: its old series must be re-assembled too
        toParse.push(f);
      }
      for (const row of known.values()) {
        if (seen.has(row.path) || row.missing_at) continue;
        w.markMissing(row.id, run);
        counts.filesMissing++;
        touchRow(row);
      }
    })();

    function touchRow(row: FileRow) {
      if (row.series_id != null) w.seriesImporting(row.series_id, run);
      if (row.kind === 'nifti') dirtyNifti.add(row.path);
      else if (row.kind === 'dicom' && row.series_uid) dirtyUids.add(row.series_uid);
    }

    // 2. parse --------------------------------------------------------------------------------------
    const memHeaders = new Map<string, string>();
    const memNifti = new Map<string, string>();
    if (toParse.length) {
      report('parse', 0, toParse.length, `reading ${toParse.length} files`);
      const pool = o.pool();
      const batch = Math.max(8, Math.min(128, Math.ceil(toParse.length / (pool.size * 8))));
      const batches: FileToParse[][] = [];
      for (let i = 0; i < toParse.length; i += batch) batches.push(toParse.slice(i, i + batch));
      const writeBatch = db.transaction((results: WireParsed[]) => {
        for (const r of results) {
          if (r.kind === 'dicom') {
            const uid = r.seriesUid;
            memHeaders.set(r.path, r.json);
            dirtyUids.add(uid);
            seriesUids.add(uid);
            w.upsertFile(
              {
                path: r.path,
                size: r.size,
                mtimeMs: r.mtimeMs,
                kind: 'dicom',
                sopInstanceUid: r.sopInstanceUid || null,
                sopClassUid: r.sopClassUid || null,
                transferSyntax: r.transferSyntaxUid || null,
                seriesUid: uid,
                instanceNumber: r.instanceNumber,
                frameCount: r.frames,
                header: r.json,
              },
              run,
            );
            bytesRead += Math.min(r.size, 65536);
          } else if (r.kind === 'nifti') {
            memNifti.set(r.path, r.json);
            dirtyNifti.add(r.path);
            seriesUids.add(niftiSeriesUid(r.path));
            w.upsertFile(
              {
                path: r.path,
                size: r.size,
                mtimeMs: r.mtimeMs,
                kind: 'nifti',
                sopInstanceUid: null,
                sopClassUid: null,
                transferSyntax: null,
                seriesUid: niftiSeriesUid(r.path),
                instanceNumber: null,
                frameCount: r.volumeCount,
                header: r.json,
              },
              run,
            );
            bytesRead += r.size;
          } else {
            counts.errors++;
            w.insertError(run, r.path, r.reason, r.message, r.sopClassUid);
            if (r.reason === 'unreadable') {
              w.deleteFile(r.path); // retried by the next import
            } else {
              w.upsertFile(
                {
                  path: r.path,
                  size: r.size,
                  mtimeMs: r.mtimeMs,
                  kind: 'other',
                  sopInstanceUid: null,
                  sopClassUid: r.sopClassUid,
                  transferSyntax: null,
                  seriesUid: null,
                  instanceNumber: null,
                  frameCount: 0,
                  header: null,
                },
                run,
              );
            }
          }
          counts.filesParsed++;
        }
      });
      let stop = false;
      await Promise.all(
        batches.map(async (files) => {
          if (stop || cancelled()) return;
          const results = await pool.run<WireParsed[]>({ type: 'parse', files });
          if (cancelled()) {
            stop = true;
            return;
          }
          // In transactions of at most 32 files with a turn of the event loop between: a whole batch in
          // one go held the main thread for 50-100 ms on a loaded machine.
          for (let i = 0; i < results.length; i += 32) {
            if (i > 0) await new Promise((r) => setImmediate(r));
            writeBatch(results.slice(i, i + 32));
          }
          report('parse', counts.filesParsed, toParse.length);
        }),
      );
      if (cancelled()) return end('cancelled', null);
    }

    // 3. assemble -----------------------------------------------------------------------------------
    const touched: TouchedSeries[] = [];
    const totalAssemble = dirtyUids.size + dirtyNifti.size;
    let assembled = 0;
    report('assemble', 0, totalAssemble, `assembling ${totalAssemble} series`);
    // The header parsing and dcm2niix's stacking rules (assembleSeries) run in the worker pool, every
    // series at once (a series of thousands of slices would otherwise hold the main thread, which serves
    // HTTP/WebSocket calls, for a second or more); the catalogue writes follow in the original order (so
    // series ids are as before), one transaction per series, with a turn of the event loop between.
    const uids = [...dirtyUids];
    const rowsOf: ReturnType<typeof w.dicomRowsOfUid>[] = [];
    const assemblies: Promise<Assembly | null>[] = [];
    let slice = performance.now();
    for (const uid of uids) {
      const rows = w.dicomRowsOfUid(uid);
      rowsOf.push(rows);
      const present = rows.filter((r) => !r.missing_at && r.header);
      const a = present.length
        ? o.pool().run<Assembly>({ type: 'assemble', headers: present.map((r) => memHeaders.get(r.path) ?? r.header!) })
        : Promise.resolve(null);
      a.catch(() => {}); // surfaced when awaited in turn
      assemblies.push(a);
      if (performance.now() - slice > 10) {
        await new Promise((r) => setImmediate(r));
        slice = performance.now();
      }
    }
    for (let i = 0; i < uids.length; i++) {
      if (cancelled()) return end('cancelled', null);
      assembleUid(uids[i], rowsOf[i], await assemblies[i]);
      report('assemble', ++assembled, totalAssemble);
    }
    for (const file of dirtyNifti) {
      if (cancelled()) return end('cancelled', null);
      catalogueNifti(file);
      report('assemble', ++assembled, totalAssemble);
      if (assembled % 32 === 0) await new Promise((r) => setImmediate(r));
    }

    function assembleUid(uid: string, rows: ReturnType<typeof w.dicomRowsOfUid>, assembly: Assembly | null) {
      const present = rows.filter((r) => !r.missing_at && r.header);
      const missing = rows.length - present.length;
      const existing = w.seriesOfUid(uid);
      db.transaction(() => {
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
          ? [{ code: 'missing-files', reason: `${missing} of ${rows.length} files of this series are gone from disk` }]
          : [];
        const placed = new Set<string>();
        const existingKeys = new Set(existing.map((e) => e.volume_key));
        const keys = assembly.volumes.map((p, i) =>
          assembly.volumes.length === 1 ? '' : (p.key.includes('#') ? p.key.slice(p.key.lastIndexOf('#') + 1) : String(i)),
        );
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
          for (const s of plan.slices) {
            if (placed.has(s.path)) continue;
            placed.add(s.path);
            w.pointFile(s.path, id);
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
        // Files the assembly left out (duplicates ...) stay with the series' first volume, not pending.
        if (firstId > 0) for (const r of present) if (!placed.has(r.path)) w.pointFile(r.path, firstId);
        for (const s of existing) if (!keys.includes(s.volume_key)) w.deleteSeries(s.id);
      })();
    }

    function catalogueNifti(file: string) {
      const row = w.fileByPath(file);
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
        let json = memNifti.get(file);
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
        touched.push({
          id,
          missing: 0,
          flags: JSON.parse(rec.flags) as SeriesFlagValue[],
          usable: rec.usable,
          source: { kind: 'nifti', path: file, volumeCount: h.volumeCount, header: h },
          description: rec.description,
        });
      })();
    }

    // 4. thumbnails, then complete -----------------------------------------------------------------
    let done = 0;
    report('thumbnails', 0, touched.length, o.thumbnails ? `thumbnails for ${touched.length} series` : undefined);
    const finish = (t: TouchedSeries, thumbs: WrittenThumb[] | null, error: string | null) => {
      const flags = [...t.flags];
      let usable = t.usable;
      if (error) {
        flags.push({ code: 'unloadable', reason: `voxels could not be loaded: ${error}` });
        usable = false;
      }
      w.finishSeries({
        id: t.id,
        runId: run,
        status: error ? 'failed' : t.missing > 0 ? 'missing-files' : 'complete',
        flags: JSON.stringify(flags),
        usable,
        unusableReason: unusableReasonOf(usable, flags),
        thumbnail: thumbs ? thumbnailPath('', t.id, 'axial').replace(/^[\\/]/, '') : null,
      });
    };
    if ((!o.thumbnails && !o.exportNifti) || !touched.length) {
      db.transaction(() => {
        for (const t of touched) finish(t, null, null);
      })();
    } else {
      const pool = o.pool();
      if (o.exportNifti) fs.mkdirSync(o.exportNifti.dir, { recursive: true });
      let stop = false;
      await Promise.all(
        touched.map(async (t) => {
          if (stop || cancelled()) return;
          let thumbs: WrittenThumb[] | null = null;
          let error: string | null = null;
          try {
            thumbs = await pool.run<WrittenThumb[] | null>({
              type: 'thumbs',
              dataDir: o.dataDir,
              seriesId: t.id,
              source: t.source,
              thumbnails: o.thumbnails,
              exportTo: o.exportNifti ? path.join(o.exportNifti.dir, exportName(t.id, t.description, o.exportNifti.gzip)) : undefined,
              description: t.description,
            });
          } catch (err) {
            error = (err as Error).message;
          }
          if (cancelled()) {
            stop = true;
            return;
          }
          finish(t, thumbs, error);
          report('thumbnails', ++done, touched.length);
        }),
      );
      if (cancelled()) return end('cancelled', null);
    }
    return end('done', null);
  } catch (err) {
    end('failed', (err as Error).message);
    throw err;
  }

  function end(state: 'done' | 'cancelled' | 'failed', message: string | null): ImportRun {
    finishRun(db, run, state, counts, message);
    db.pragma(`wal_autocheckpoint = ${Number.isFinite(prevCheckpoint) && prevCheckpoint > 0 ? prevCheckpoint : 1000}`);
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // a reader in another process holds the WAL: the next automatic checkpoint will do it
    }
    return getRun(db, run)!;
  }
}

function isRunning(db: Db, runId: number): boolean {
  const r = db.prepare('SELECT state FROM import_runs WHERE id = ?').get(runId) as { state: string } | undefined;
  return r?.state === 'running';
}
