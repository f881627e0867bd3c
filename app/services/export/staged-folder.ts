// Whole-or-absent output folders: files are written into a hidden sibling `.NAME.partial-PID-RANDOM`, each one
// fsynced, and the folder is renamed to NAME only when every file is there (then the parent is fsynced), so an
// interrupted export leaves no folder that looks complete. The target must not exist, or be an empty folder.
// Partial folders left by a process that died are removed the next time the same target is staged.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { ExportError } from './errors.js';

export interface WrittenFile {
  name: string;
  bytes: number;
  sha256: string;
}

const PARTIAL = /^\.(.+)\.partial-(\d+)-[0-9a-f]+$/;

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function fsyncPath(p: string): Promise<void> {
  let fh: fsp.FileHandle | undefined;
  try {
    fh = await fsp.open(p, 'r');
    await fh.sync();
  } catch {
    // Directories cannot be opened for fsync on Windows; nothing more to do there.
  } finally {
    await fh?.close();
  }
}

async function isEmptyDir(p: string): Promise<boolean> {
  return (await fsp.readdir(p)).length === 0;
}

export class StagedFolder {
  private committed = false;

  private constructor(
    readonly target: string,
    readonly temp: string,
  ) {}

  /** Stage a new folder at `target` (absolute or relative to the working directory); its parent must exist. */
  static async create(target: string): Promise<StagedFolder> {
    const abs = path.resolve(target);
    const parent = path.dirname(abs);
    const base = path.basename(abs);
    const st = await fsp.stat(parent).catch(() => null);
    if (!st?.isDirectory()) throw new ExportError(`cannot export into ${abs}: its parent folder ${parent} does not exist`);
    const there = await fsp.stat(abs).catch(() => null);
    if (there && !(there.isDirectory() && (await isEmptyDir(abs)))) {
      throw new ExportError(`cannot export into ${abs}: it already exists${there.isDirectory() ? ' and is not empty' : ' (a file)'}`);
    }
    for (const name of await fsp.readdir(parent)) {
      const m = PARTIAL.exec(name);
      if (m && m[1] === base && !alive(Number(m[2]))) await fsp.rm(path.join(parent, name), { recursive: true, force: true });
    }
    const temp = path.join(parent, `.${base}.partial-${process.pid}-${randomBytes(4).toString('hex')}`);
    try {
      await fsp.mkdir(temp);
    } catch (err) {
      throw new ExportError(`cannot write in ${parent}: ${(err as Error).message}`);
    }
    return new StagedFolder(abs, temp);
  }

  /** Write one file (bytes, or chunks in order), fsync it, and return its size and SHA-256. */
  async write(name: string, content: Uint8Array | Iterable<Uint8Array>): Promise<WrittenFile> {
    if (this.committed) throw new ExportError(`${this.target} is already complete; cannot add ${name}`);
    if (name !== path.basename(name) || name.startsWith('.')) throw new ExportError(`bad export file name ${JSON.stringify(name)}`);
    const hash = createHash('sha256');
    let bytes = 0;
    const fh = await fsp.open(path.join(this.temp, name), 'wx');
    try {
      const parts = content instanceof Uint8Array ? [content] : content;
      for (const part of parts) {
        hash.update(part);
        bytes += part.byteLength;
        let off = 0;
        while (off < part.byteLength) off += (await fh.write(part, off, part.byteLength - off)).bytesWritten;
      }
      await fh.sync();
    } finally {
      await fh.close();
    }
    return { name, bytes, sha256: hash.digest('hex') };
  }

  /** Make the folder appear at its target, whole. */
  async commit(): Promise<string> {
    await fsyncPath(this.temp);
    try {
      // An empty target folder is replaced (rename over an empty directory: POSIX; elsewhere remove it first).
      if (process.platform === 'win32' && fs.existsSync(this.target)) await fsp.rmdir(this.target);
      await fsp.rename(this.temp, this.target);
    } catch (err) {
      await this.abort();
      const code = (err as NodeJS.ErrnoException).code;
      throw new ExportError(`cannot complete the export at ${this.target}: ${code === 'ENOTEMPTY' || code === 'EEXIST' ? 'something was written there meanwhile' : (err as Error).message}`);
    }
    this.committed = true;
    await fsyncPath(path.dirname(this.target));
    return this.target;
  }

  /** Remove the partial folder (nothing appears at the target). Safe to call more than once. */
  async abort(): Promise<void> {
    if (!this.committed) await fsp.rm(this.temp, { recursive: true, force: true });
  }
}
