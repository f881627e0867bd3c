// Step 2 of an import run: header parsing in the worker pool while the scan goes on. Files are sent in
// batches (one message carries many), results are written to the catalogue in transactions of up to
// WRITE_ROWS files with a turn of the event loop between (a transaction per 32 files cost twice the CPU
// and wrote 60% more WAL; 256 rows hold the main thread for a few ms). A changed file's old series is
// flagged 'importing' in the same transaction that re-points the file.
import type { FileRow } from './catalogue-writer.js';
import { yieldToLoop, type ImportState } from './import-state.js';
import type { FileToParse, WireParsed } from './parse-file.js';
import { niftiSeriesUid } from './series-record.js';
import { touch } from './step-scan.js';

/** Files per parse message: small enough to spread a small import over every worker early. */
const BATCH_FILES = 32;
/** Files per catalogue transaction. */
const WRITE_ROWS = 256;

export class HeaderParser {
  private batch: FileToParse[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly results: WireParsed[] = [];
  private total = 0;
  private writing: Promise<void> = Promise.resolve();
  private failure: unknown = null;
  /** The scan is over: progress is reported as the 'parse' step from then on. */
  private scanned = false;

  /** `known`: the catalogued rows under the roots, by path (a changed file's old row). */
  constructor(
    private readonly st: ImportState,
    private readonly known: Map<string, FileRow>,
  ) {}

  /** Queues one file; a full batch goes to the pool at once. */
  add(f: FileToParse): void {
    this.total++;
    this.batch.push(f);
    if (this.batch.length >= BATCH_FILES) this.send();
  }

  /** Sends what is queued, waits for every batch and writes every result (nothing when cancelled). */
  async finish(): Promise<void> {
    this.scanned = true;
    this.send();
    if (this.total) this.st.report('parse', this.st.counts.filesRead, this.total, `reading ${this.total} files`);
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
    await this.writing;
    if (this.failure) throw this.failure;
    if (!this.st.cancelled()) await this.write(true);
  }

  private send(): void {
    if (!this.batch.length || this.st.cancelled()) return;
    const files = this.batch;
    this.batch = [];
    const p = this.st.o
      .pool()
      .run<WireParsed[]>({ type: 'parse', files }, this.st.o.job?.signal)
      .then((res) => {
        if (this.st.cancelled()) return;
        for (const r of res) this.results.push(r);
        if (this.results.length >= WRITE_ROWS) {
          this.writing = this.writing
            .then(() => this.write(false))
            .catch((err: unknown) => {
              this.failure ??= err;
            });
        }
      })
      .catch((err: unknown) => {
        if (!this.st.cancelled()) this.failure ??= err; // a cancel drops the queued batches
      })
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  /** Writes queued results in WRITE_ROWS transactions (all of them when `all`, else whole transactions only). */
  private async write(all: boolean): Promise<void> {
    while (this.results.length >= (all ? 1 : WRITE_ROWS) && !this.st.cancelled()) {
      const rows = this.results.splice(0, WRITE_ROWS);
      this.writeRows(rows);
      if (this.scanned) this.st.report('parse', this.st.counts.filesRead, this.total);
      await yieldToLoop();
    }
  }

  private writeRows(rows: WireParsed[]): void {
    const { st } = this;
    const { w, run, counts } = st;
    st.db.transaction(() => {
      for (const r of rows) {
        const old = this.known.get(r.path);
        if (old) touch(st, old);
        if (r.kind === 'dicom') {
          const uid = r.seriesUid;
          st.memHeaders.set(r.path, r.json);
          st.dirtyUids.add(uid);
          st.seriesUids.add(uid);
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
          st.bytesRead += Math.min(r.size, 65536);
        } else if (r.kind === 'nifti') {
          st.memNifti.set(r.path, r.json);
          st.dirtyNifti.add(r.path);
          st.seriesUids.add(niftiSeriesUid(r.path));
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
          st.bytesRead += r.size;
        } else {
          counts.notImported++;
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
        if (r.kind !== 'error') counts.filesImported++;
        counts.filesRead++;
      }
    })();
  }
}
