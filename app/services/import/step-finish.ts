// Step 4 of an import run: each series written by the assembly is finished as soon as it is handed over:
// a pool worker loads its volume once and writes the three thumbnails into the cache (and, with
// --export-nifti, the NIfTI file), then the series flips to 'complete' ('missing-files' when files are
// gone, 'failed' when its voxels cannot be loaded) in its own statement. Without thumbnails or export,
// every series is flipped in one transaction at the end.
// A big series (SPLIT_MIN_SLICES or more, read by the fast path) is first read by every worker at once,
// each a slice range, into one SharedArrayBuffer: a 181-slice series was read, page-faulted in and
// written by one worker while the other had nothing to do.
import fs from 'node:fs';
import path from 'node:path';
import { canLoadSlicesDirect, directVolumeBytes } from '../imaging/index.js';
import { exportName } from './export-series.js';
import type { ImportState, TouchedSeries } from './import-state.js';
import { unusableReasonOf, type SeriesFlagValue } from './series-record.js';
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

  private async thumbnails(t: TouchedSeries): Promise<void> {
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
      thumbs = await st.o.pool().run<WrittenThumb[] | null>({
        type: 'thumbs',
        dataDir: st.o.dataDir,
        seriesId: t.id,
        source: t.source,
        thumbnails: st.o.thumbnails,
        exportTo: exportNifti ? path.join(exportNifti.dir, exportName(t.id, t.description, exportNifti.gzip)) : undefined,
        description: t.description,
        shared: shared ?? undefined,
      }, st.o.job?.signal);
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
