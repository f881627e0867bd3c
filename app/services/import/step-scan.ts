// Step 1 of an import run: scan the roots and compare with the catalogue by (path, size, mtime). New and
// changed files go to `parse` as they are found (header parsing overlaps the scan); unchanged ones are
// skipped (one that was marked missing and is back makes its series whole again); catalogued files no
// longer found are marked missing. The series a changed or missing file belonged to is re-assembled.
import type { FileRow } from './catalogue-writer.js';
import type { ImportState } from './import-state.js';
import type { FileToParse } from './parse-file.js';
import { scanRoots } from './scan.js';

/** The catalogued rows under the roots, by path. */
export function knownFiles(st: ImportState): Map<string, FileRow> {
  const known = new Map<string, FileRow>();
  for (const r of st.o.roots) for (const row of st.w.filesUnder(r.path)) known.set(row.path, row);
  return known;
}

/** Scans, handing new and changed files to `parse`; then records scan problems and missing files. */
export async function scanAndCompare(st: ImportState, known: Map<string, FileRow>, parse: (f: FileToParse) => void): Promise<void> {
  const { w, run, counts } = st;
  const seen = new Set<string>();
  const backAgain: FileRow[] = [];

  st.report('scan', 0, 0, 'scanning folders');
  const scan = await scanRoots(st.o.roots, {
    exclude: [st.o.dataDir],
    signal: st.o.job?.signal,
    onProgress: (n) => {
      counts.filesScanned = n;
      st.report('scan', n, 0);
    },
    onFile: (f) => {
      seen.add(f.path);
      const row = known.get(f.path);
      if (row && row.size === f.size && row.mtime_ms === f.mtimeMs) {
        counts.filesUnchanged++;
        if (row.missing_at) backAgain.push(row);
        return;
      }
      if (row) touchInMemory(st, row); // changed: its old series must be re-assembled too
      parse(f);
    },
  });
  // A path the scan could not read (a file it cannot stat, a folder it cannot list) counts as one file
  // found and not imported: scanned = imported + unchanged + not imported.
  counts.filesScanned = scan.files.length + scan.problems.length;
  if (st.cancelled()) return;

  st.db.transaction(() => {
    for (const e of scan.problems) {
      w.insertError(run, e.path, 'unreadable', `${e.path}: ${e.message}`, null);
      counts.notImported++;
    }
    for (const row of backAgain) {
      // Back on disk unchanged: its series is whole again.
      w.clearMissing(row.id, run);
      touch(st, row);
    }
    for (const row of known.values()) {
      if (seen.has(row.path) || row.missing_at) continue;
      w.markMissing(row.id, run);
      counts.filesMissing++;
      touch(st, row);
    }
  })();
}

/** The row's series is re-assembled by this run (in memory only). */
export function touchInMemory(st: ImportState, row: FileRow): void {
  if (row.kind === 'nifti') st.dirtyNifti.add(row.path);
  else if (row.kind === 'dicom' && row.series_uid) st.dirtyUids.add(row.series_uid);
}

/** The row's series is re-assembled by this run and no longer complete until then (inside a transaction). */
export function touch(st: ImportState, row: FileRow): void {
  if (row.series_id != null) st.w.seriesImporting(row.series_id, st.run);
  touchInMemory(st, row);
}
