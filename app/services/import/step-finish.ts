// Step 4 of an import run: each series written by the assembly is finished as soon as it is handed over:
// a pool worker loads its volume once and writes the three thumbnails into the cache (and, with
// --export-nifti, the NIfTI file), then the series flips to 'complete' ('missing-files' when files are
// gone, 'failed' when its voxels cannot be loaded) in its own statement. Without thumbnails or export,
// every series is flipped in one transaction at the end.
import fs from 'node:fs';
import path from 'node:path';
import { exportName } from './export-series.js';
import type { ImportState, TouchedSeries } from './import-state.js';
import { unusableReasonOf, type SeriesFlagValue } from './series-record.js';
import { thumbnailPath, type WrittenThumb } from './thumbnail-cache.js';

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
      thumbs = await st.o.pool().run<WrittenThumb[] | null>({
        type: 'thumbs',
        dataDir: st.o.dataDir,
        seriesId: t.id,
        source: t.source,
        thumbnails: st.o.thumbnails,
        exportTo: exportNifti ? path.join(exportNifti.dir, exportName(t.id, t.description, exportNifti.gzip)) : undefined,
        description: t.description,
      });
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
