// Recursive scan of import roots: every regular file with its size and mtime, keyed by real path.
// Skips hidden entries (".name"), OS/system folders, kernel trees and the data folder; follows symlinks
// but visits each directory (device + inode) once, so symlink loops end; a file reached twice (through
// a link) is listed once under its real path. Directories that cannot be read are reported, not fatal.
import fs from 'node:fs';
import path from 'node:path';
import { isForbidden, isInside } from '../files/index.js';
import type { ValidatedRoot } from './validate-paths.js';

export interface ScannedFile {
  path: string;
  size: number;
  mtimeMs: number;
}

export interface ScanProblem {
  path: string;
  message: string;
}

export interface ScanOptions {
  /** Folder never to descend into (the app's data folder). */
  exclude?: string[];
  signal?: AbortSignal;
  /** Called every few hundred files with the running count. */
  onProgress?: (filesFound: number) => void;
  /** Called for each file as it is found (lets the import parse headers while the scan goes on). */
  onFile?: (file: ScannedFile) => void;
}

const SYSTEM_DIRS = new Set([
  '$RECYCLE.BIN',
  'System Volume Information',
  '__MACOSX',
  'lost+found',
  'node_modules',
  '@eaDir',
]);

/** Longest stretch (ms) the scan holds the event loop before letting other callbacks run. */
const SLICE_MS = 10;

export async function scanRoots(roots: readonly ValidatedRoot[], options: ScanOptions = {}): Promise<{
  files: ScannedFile[];
  problems: ScanProblem[];
}> {
  const files: ScannedFile[] = [];
  const problems: ScanProblem[] = [];
  const seenDirs = new Set<string>();
  const seenFiles = new Set<string>();
  const exclude = options.exclude ?? [];
  let lastReport = 0;

  const addFile = (p: string, st: fs.Stats) => {
    if (seenFiles.has(p)) return;
    seenFiles.add(p);
    const f = { path: p, size: st.size, mtimeMs: Math.trunc(st.mtimeMs) };
    files.push(f);
    options.onFile?.(f);
    if (files.length - lastReport >= 256) {
      lastReport = files.length;
      options.onProgress?.(files.length);
    }
  };

  // Synchronous fs calls: a stat from the page cache costs microseconds, a promise round trip through
  // libuv's thread pool ~100x more. But the scan runs on the main thread, which also serves HTTP and
  // WebSocket calls: it gives the event loop a turn after every folder and whenever it has held it for
  // SLICE_MS (a folder of thousands of files on a slow or loaded disk must not block it for seconds).
  let sliceStart = performance.now();
  const yieldNow = async () => {
    await new Promise((r) => setImmediate(r));
    sliceStart = performance.now();
  };
  const maybeYield = async () => {
    if (performance.now() - sliceStart >= SLICE_MS) await yieldNow();
  };
  const walk = async (dir: string, st: fs.Stats): Promise<void> => {
    if (options.signal?.aborted) return;
    const key = `${st.dev}:${st.ino}`;
    if (seenDirs.has(key)) return;
    seenDirs.add(key);
    await yieldNow();
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      problems.push({ path: dir, message: `cannot list folder (${(err as NodeJS.ErrnoException).code ?? err})` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: [string, fs.Stats][] = [];
    for (const e of entries) {
      await maybeYield();
      if (options.signal?.aborted) return;
      if (e.name.startsWith('.') || SYSTEM_DIRS.has(e.name)) continue;
      let p = path.join(dir, e.name);
      let est: fs.Stats;
      try {
        if (e.isSymbolicLink()) {
          p = fs.realpathSync(p);
          if (isForbidden(p) || exclude.some((x) => isInside(p, x))) continue;
        } else if (!e.isFile() && !e.isDirectory()) {
          continue; // sockets, fifos, devices
        }
        est = fs.statSync(p);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT' && code !== 'ELOOP') problems.push({ path: p, message: `cannot stat (${code ?? err})` });
        continue;
      }
      if (est.isDirectory()) {
        if (exclude.some((x) => isInside(p, x))) continue;
        subdirs.push([p, est]);
      } else if (est.isFile()) {
        addFile(p, est);
      }
    }
    for (const [p, s] of subdirs) await walk(p, s);
  };

  for (const r of roots) {
    let st: fs.Stats;
    try {
      st = fs.statSync(r.path);
    } catch (err) {
      problems.push({ path: r.path, message: `cannot stat (${(err as NodeJS.ErrnoException).code ?? err})` });
      continue;
    }
    if (st.isDirectory()) await walk(r.path, st);
    else if (st.isFile()) addFile(r.path, st);
  }
  options.onProgress?.(files.length);
  return { files, problems };
}
