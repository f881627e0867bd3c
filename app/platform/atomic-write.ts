// Files that are whole or absent: written to a temporary name in the same folder, fsynced, renamed over the final
// name (rename is atomic within a file system, POSIX rename(2)), then the folder is fsynced so the rename itself
// survives a power cut. A crash leaves either the old file, the new one, or a stray `*.tmp` that no reader matches.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { threadId } from 'node:worker_threads';

/** Suffix of temporary files: `<name>.<random>.<thread>.<pid>.tmp` (threads of one process share the pid, and two
 * writers of one name must not share a temporary file). */
export const TEMP_SUFFIX = '.tmp';

export function fsyncDirSync(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Directories cannot be opened for fsync on Windows; the rename is still atomic there.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Writes `chunks` to `file` whole or not at all; returns the bytes written. */
export function writeFileAtomicSync(file: string, chunks: Uint8Array | readonly Uint8Array[]): number {
  const parts = chunks instanceof Uint8Array ? [chunks] : chunks;
  const tmp = `${file}.${randomBytes(4).toString('hex')}.${threadId}.${process.pid}${TEMP_SUFFIX}`;
  let bytes = 0;
  const fd = fs.openSync(tmp, 'w');
  try {
    for (const p of parts) {
      let off = 0;
      while (off < p.byteLength) off += fs.writeSync(fd, p, off, p.byteLength - off);
      bytes += p.byteLength;
    }
    fs.fsyncSync(fd);
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  fs.closeSync(fd);
  try {
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  fsyncDirSync(path.dirname(file));
  return bytes;
}
