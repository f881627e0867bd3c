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

function openTemp(file: string): { fd: number; tmp: string } {
  const tmp = `${file}.${randomBytes(4).toString('hex')}.${threadId}.${process.pid}${TEMP_SUFFIX}`;
  return { fd: fs.openSync(tmp, 'w'), tmp };
}

function writeAll(fd: number, p: Uint8Array): void {
  let off = 0;
  while (off < p.byteLength) off += fs.writeSync(fd, p, off, p.byteLength - off);
}

function abandon(fd: number, tmp: string): void {
  fs.closeSync(fd);
  fs.rmSync(tmp, { force: true });
}

function commit(fd: number, tmp: string, file: string): void {
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  try {
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  fsyncDirSync(path.dirname(file));
}

/** Writes `chunks` to `file` whole or not at all; returns the bytes written. */
export function writeFileAtomicSync(file: string, chunks: Uint8Array | readonly Uint8Array[]): number {
  const parts = chunks instanceof Uint8Array ? [chunks] : chunks;
  const { fd, tmp } = openTemp(file);
  let bytes = 0;
  try {
    for (const p of parts) {
      writeAll(fd, p);
      bytes += p.byteLength;
    }
  } catch (e) {
    abandon(fd, tmp);
    throw e;
  }
  commit(fd, tmp, file);
  return bytes;
}

/** Writes a stream of chunks (an upload) to `file` whole or not at all: a stream that throws leaves nothing. */
export async function writeStreamAtomic(file: string, chunks: AsyncIterable<Uint8Array>): Promise<number> {
  const { fd, tmp } = openTemp(file);
  let bytes = 0;
  try {
    for await (const p of chunks) {
      writeAll(fd, p);
      bytes += p.byteLength;
    }
  } catch (e) {
    abandon(fd, tmp);
    throw e;
  }
  commit(fd, tmp, file);
  return bytes;
}
