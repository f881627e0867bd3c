// Step 4 of an import run: each series written by the assembly is finished as soon as it is handed over:
// a pool worker loads its volume once and writes the three thumbnails into the cache (and, with
// --export-nifti, the NIfTI file), then the series flips to 'complete' ('missing-files' when files are
// gone, 'failed' when its voxels cannot be loaded) in its own statement. Without thumbnails or export,
// every series is flipped in one transaction at the end.
// A DICOM file whose pixels cannot be decoded is left out of its series with the reason (not imported,
// 'undecodable'); the rest is re-assembled and kept when it still stacks as one volume, else the series
// fails naming the files.
// A big series (SPLIT_MIN_SLICES or more, read by the fast path) is first read by every worker at once,
// each a slice range, into one SharedArrayBuffer: a 181-slice series was read, page-faulted in and
// written by one worker while the other had nothing to do.
import fs from 'node:fs';
import path from 'node:path';
import { canLoadSlicesDirect, directVolumeBytes, type UndecodableFile } from '../imaging/index.js';
import type { AssembleResult, ThumbsResult } from '../../workers/import-worker.js';
import { exportName } from './export-series.js';
import type { ImportState, TouchedSeries } from './import-state.js';
import { unusableReasonOf, type SeriesFlagValue } from './series-record.js';
import { leaveOutFile, reassembleWithout } from './step-assemble.js';
import { thumbnailPath, type WrittenThumb } from './thumbnail-cache.js';

/** Slices from which a series is read by all workers together. */
export const SPLIT_MIN_SLICES = 96;

export class SeriesFinisher {
  private readonly pending: Promise<void>[] = [];
  private readonly waiting: TouchedSeries[] = [];
  private readonly viaWorkers: boolean;
  private stop = false;
  private count = 0;
  private done = 0;
  private reporting = false;
  private madeExportDir = false;

  constructor(private readonly st: ImportState) {
    this.viaWorkers = st.o.thumbnails || !!st.o.exportNifti;
  }

  /** A series row written with status 'importing' (its transaction committed). */
  add(t: TouchedSeries): void {
    this.count++;
    if (!this.viaWorkers) {
      this.waiting.push(t);
      return;
    }
    const p = this.thumbnails(t);
    p.catch(() => {}); // surfaced by drain()
    this.pending.push(p);
  }

  /** The run failed or was cancelled: finish nothing more, wait for the tasks in flight. */
  async abandon(): Promise<void> {
    this.stop = true;
    await Promise.allSettled(this.pending);
  }

  /** Waits for every series handed over; returns false when cancelled. */
  async drain(): Promise<boolean> {
    const { st } = this;
    this.reporting = true;
    st.report('thumbnails', this.done, this.count, st.o.thumbnails ? `thumbnails for ${this.count} series` : undefined);
    if (!this.viaWorkers) {
      st.db.transaction(() => {
        for (const t of this.waiting) this.finish(t, null, null);
      })();
      return true;
    }
    await Promise.all(this.pending);
    return !st.cancelled();
  }

  /** `leftOut`: files already left out of this series by an earlier attempt (then no second re-assembly). */
  private async thumbnails(t: TouchedSeries, leftOut = 0): Promise<void> {
    const { st } = this;
    const exportNifti = st.o.exportNifti;
    if (exportNifti && !this.madeExportDir) {
      fs.mkdirSync(exportNifti.dir, { recursive: true });
      this.madeExportDir = true;
    }
    if (this.stop || st.cancelled()) return;
    let thumbs: WrittenThumb[] | null = null;
    let error: string | null = null;
    try {
      const shared = await this.readShared(t);
      const res = await st.o.pool().run<ThumbsResult>({
        type: 'thumbs',
        dataDir: st.o.dataDir,
        seriesId: t.id,
        source: t.source,
        thumbnails: st.o.thumbnails,
        exportTo: exportNifti ? path.join(exportNifti.dir, exportName(t.id, t.description, exportNifti.gzip)) : undefined,
        description: t.description,
        shared: shared ?? undefined,
      }, st.o.job?.signal);
      if ('undecodable' in res) {
        const next = await this.leaveOut(t, res.undecodable, leftOut);
        if (typeof next === 'string') error = next;
        else if (!this.stop && !st.cancelled()) return this.thumbnails(next, leftOut + res.undecodable.length);
        else return;
      } else {
        thumbs = res.thumbs;
      }
    } catch (err) {
      error = (err as Error).message;
    }
    if (this.stop || st.cancelled()) {
      this.stop = true;
      return;
    }
    this.finish(t, thumbs, error);
    this.done++;
    if (this.reporting) st.report('thumbnails', this.done, this.count);
  }

  /**
   * Leaves the undecodable files of series `t` out (recorded, not imported) and re-assembles the rest:
   * the series to finish again, or why it cannot be kept (then it fails with that message).
   */
  private async leaveOut(t: TouchedSeries, bad: UndecodableFile[], alreadyLeftOut: number): Promise<TouchedSeries | string> {
    const { st } = this;
    st.db.transaction(() => {
      for (const b of bad) leaveOutFile(st, b.path, 'undecodable', b.message, t.id);
    })();
    const n = alreadyLeftOut + bad.length;
    const files = `${n} file${n === 1 ? '' : 's'}`;
    const why = `${bad[0].message}${bad.length > 1 ? ` (and ${bad.length - 1} more)` : ''}`;
    if (t.source.kind !== 'dicom' || alreadyLeftOut > 0) return `pixel data could not be decoded: ${why}`;
    const out = new Set(bad.map((b) => b.path));
    const keep = [...new Set(t.source.plan.slices.map((s) => s.path))].filter((p) => !out.has(p));
    if (!keep.length) return `no file of this series could be decoded: ${why}`;
    const headers = keep.map((p) => st.memHeaders.get(p) ?? st.w.headerOf(p)).filter((h): h is string => h !== null);
    const { assembly } = await st.o.pool().run<AssembleResult>({ type: 'assemble', headers }, st.o.job?.signal);
    if (assembly.volumes.length !== 1) {
      const reasons = assembly.notStacked.map((r) => r.reason).join('; ') || `${assembly.volumes.length} volumes`;
      return `${files} left out (pixel data could not be decoded: ${why}); the other ${keep.length} no longer stack as one volume: ${reasons}`;
    }
    const flag: SeriesFlagValue = {
      code: 'files-left-out',
      reason: `${files} left out of this series: pixel data could not be decoded (${why}); the other ${keep.length} kept`,
    };
    return st.db.transaction(() => reassembleWithout(st, t, assembly.volumes[0], assembly.notStacked.map((r) => r.reason), flag))();
  }

  /** A big series' voxels read by all workers into shared memory; null when not split (or a part failed). */
  private async readShared(t: TouchedSeries): Promise<{ buffer: SharedArrayBuffer; max: number } | null> {
    const pool = this.st.o.pool();
    if (t.source.kind !== 'dicom' || pool.size < 2) return null;
    const plan = t.source.plan;
    if (plan.slices.length < SPLIT_MIN_SLICES || !canLoadSlicesDirect(plan)) return null;
    const buffer = new SharedArrayBuffer(directVolumeBytes(plan));
    const n = plan.slices.length;
    const parts = Array.from({ length: pool.size }, (_, i) => [Math.floor((i * n) / pool.size), Math.floor(((i + 1) * n) / pool.size)]);
    const res = await Promise.all(
      parts.map(([from, to]) =>
        pool.run<{ ok: boolean; max: number }>({ type: 'load-slices', plan, from, to, target: buffer }, this.st.o.job?.signal),
      ),
    );
    return res.every((r) => r.ok) ? { buffer, max: Math.max(...res.map((r) => r.max)) } : null;
  }

  private finish(t: TouchedSeries, thumbs: WrittenThumb[] | null, error: string | null): void {
    const flags: SeriesFlagValue[] = [...t.flags];
    let usable = t.usable;
    if (error) {
      flags.push({ code: 'unloadable', reason: `voxels could not be loaded: ${error}` });
      usable = false;
    }
    this.st.w.finishSeries({
      id: t.id,
      runId: this.st.run,
      status: error ? 'failed' : t.missing > 0 ? 'missing-files' : 'complete',
      flags: JSON.stringify(flags),
      usable,
      unusableReason: unusableReasonOf(usable, flags),
      thumbnail: thumbs ? thumbnailPath('', t.id, 'axial').replace(/^[\\/]/, '') : null,
    });
  }
}
