// What a drop on the Search screen (or the file picker) gives as one query file. A single file goes as it is
// (NIfTI, a DICOM file, a zip of a DICOM series). In the web mode a dropped folder, or several files at once (the
// slices of a series), are packed into one zip in the page (fflate, stored: DICOM pixels hardly deflate) so that
// they travel as one upload; the desktop app reads a dropped folder where it is, by its path.
/// <reference lib="dom" />
import { zipSync, type Zippable } from 'fflate';

/** At most this many files, or bytes, are packed from a folder (a query is one series). */
export const MAX_PACKED_FILES = 5000;
export const MAX_PACKED_BYTES = 2 * 1024 ** 3;

/** The query file of a drop: the one file, or a zip of a folder / several files. */
export async function droppedQuery(dt: DataTransfer, desktop: boolean): Promise<File | null> {
  const entries = [...dt.items].filter((i) => i.kind === 'file').map((i) => i.webkitGetAsEntry?.() ?? null);
  const files = [...dt.files];
  if (desktop) {
    if (files.length > 1) throw new Error('drop one file, or the folder that holds the series');
    return files[0] ?? null;
  }
  if (entries.length === 1 && entries[0]?.isDirectory) {
    const dir = entries[0] as FileSystemDirectoryEntry;
    return packFiles(await readFolder(dir), `${dir.name}.zip`);
  }
  if (files.length > 1) return packFiles(files.map((f) => ({ path: f.name, file: f })), 'dropped-files.zip');
  return files[0] ?? null;
}

/** Several files as one stored zip named `name`. */
export async function packFiles(files: { path: string; file: File }[], name: string): Promise<File> {
  if (!files.length) throw new Error(`${name.replace(/\.zip$/, '')}: the folder is empty`);
  if (files.length > MAX_PACKED_FILES) throw new Error(`${name.replace(/\.zip$/, '')}: more than ${MAX_PACKED_FILES} files; a query is one series`);
  const total = files.reduce((s, f) => s + f.file.size, 0);
  if (total > MAX_PACKED_BYTES) throw new Error(`${name.replace(/\.zip$/, '')}: more than ${MAX_PACKED_BYTES} bytes; a query is one series`);
  const tree: Zippable = {};
  for (const f of files) tree[f.path] = [new Uint8Array(await f.file.arrayBuffer()), { level: 0 }];
  return new File([zipSync(tree)], name, { type: 'application/zip' });
}

async function readFolder(dir: FileSystemDirectoryEntry, prefix = ''): Promise<{ path: string; file: File }[]> {
  const out: { path: string; file: File }[] = [];
  const reader = dir.createReader();
  for (;;) {
    // readEntries answers in batches (Chromium: 100 at a time) until it answers an empty one.
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (!batch.length) break;
    for (const e of batch) {
      const p = `${prefix}${e.name}`;
      if (e.isDirectory) out.push(...(await readFolder(e as FileSystemDirectoryEntry, `${p}/`)));
      else out.push({ path: p, file: await new Promise<File>((resolve, reject) => (e as FileSystemFileEntry).file(resolve, reject)) });
      if (out.length > MAX_PACKED_FILES) return out;
    }
  }
  return out;
}
