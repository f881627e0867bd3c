// Query files sent by a browser in the web mode (a file dropped on the Search screen), kept in the data folder
// under `uploads/<id>/<name>` so that search:similar can embed them ({ upload: id }) without importing them.
// The bytes arrive as a stream (the HTTP route, app/transports/http/uploads.ts) and are written into the id's folder
// as a temporary file (app/platform/atomic-write.ts), counted against a size limit, fsynced, then renamed to the
// name: an upload is whole or absent, and a cut connection leaves no id behind. Uploads older than a day (or beyond
// the newest 20, or unfinished for an hour) are removed whenever a new one arrives. Ids are 128 random bits
// (base64url), never a path.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { UploadError } from '../../contract/errors.js';
import { TEMP_SUFFIX, fsyncDirSync, writeStreamAtomic } from '../../platform/atomic-write.js';
import type { UploadRecord } from '../../contract/types/search.js';

export interface UploadOptions {
  /** Largest accepted upload in bytes (default 2 GiB). */
  maxBytes?: number;
  /** The size the client declared (Content-Length), refused at once when over the limit. */
  declaredBytes?: number;
  /** Uploads kept: at most this many (default 20), none older than maxAgeMs (default one day). */
  keep?: number;
  maxAgeMs?: number;
}

export const DEFAULT_UPLOAD_LIMIT = 2 * 1024 ** 3;
const ID = /^[A-Za-z0-9_-]{22}$/;

export function uploadsDir(dataDir: string): string {
  return path.join(dataDir, 'uploads');
}

/** A file name safe to keep: its last path segment, no control or path characters, at most 200 characters. */
export function safeUploadName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_').trim().slice(-200);
  if (!clean || clean === '.' || clean === '..') throw new UploadError('an upload needs a file name (?name=...)', 'bad-request');
  return clean;
}

/** Streams `body` into a new upload; throws UploadError 'too-large' (nothing kept) past the limit. */
export async function receiveUpload(dataDir: string, name: string, body: AsyncIterable<Uint8Array>, o: UploadOptions = {}): Promise<UploadRecord> {
  const clean = safeUploadName(name);
  const limit = o.maxBytes ?? DEFAULT_UPLOAD_LIMIT;
  if (o.declaredBytes !== undefined && o.declaredBytes > limit) {
    throw new UploadError(`${clean}: ${o.declaredBytes} bytes is over the upload limit of ${limit} bytes`, 'too-large');
  }
  const dir = uploadsDir(dataDir);
  fs.mkdirSync(dir, { recursive: true });
  pruneUploads(dataDir, o);
  const id = randomBytes(16).toString('base64url');
  const folder = path.join(dir, id);
  fs.mkdirSync(folder);
  let bytes = 0;
  async function* counted(): AsyncIterable<Uint8Array> {
    for await (const chunk of body) {
      bytes += chunk.byteLength;
      if (bytes > limit) throw new UploadError(`${clean}: over the upload limit of ${limit} bytes`, 'too-large');
      yield chunk;
    }
    if (bytes === 0) throw new UploadError(`${clean}: the upload is empty`, 'bad-request');
  }
  try {
    await writeStreamAtomic(path.join(folder, clean), counted());
  } catch (e) {
    fs.rmSync(folder, { recursive: true, force: true });
    throw e;
  }
  fsyncDirSync(dir);
  return { upload: id, name: clean, bytes };
}

/** The file of upload `id`; UploadError 'gone' when it was removed (or never existed). */
export function uploadFile(dataDir: string, id: string): { path: string; name: string } {
  if (!ID.test(id)) throw new UploadError(`'${id.slice(0, 40)}' is not an upload id`, 'bad-request');
  const folder = path.join(uploadsDir(dataDir), id);
  let names: string[] = [];
  try {
    names = fs.readdirSync(folder).filter((n) => !n.endsWith(TEMP_SUFFIX));
  } catch {
    /* gone */
  }
  if (names.length !== 1) throw new UploadError(`upload ${id} is no longer kept (uploads are kept for a day): drop the file again`, 'gone');
  return { path: path.join(folder, names[0]), name: names[0] };
}

/** Removes uploads past their age or beyond the newest `keep`, and those unfinished for an hour (died mid-way). */
export function pruneUploads(dataDir: string, o: Pick<UploadOptions, 'keep' | 'maxAgeMs'> = {}, now = Date.now()): number {
  const dir = uploadsDir(dataDir);
  const keep = o.keep ?? 20;
  const maxAge = o.maxAgeMs ?? 24 * 3600_000;
  let entries: { name: string; mtime: number }[];
  try {
    entries = fs.readdirSync(dir).map((name) => ({ name, mtime: fs.statSync(path.join(dir, name)).mtimeMs }));
  } catch {
    return 0;
  }
  const folders = entries.filter((e) => ID.test(e.name)).sort((a, b) => b.mtime - a.mtime);
  // A folder without its file is being written by a live upload, unless it is old (an hour without finishing).
  const unfinished = (name: string) => fs.readdirSync(path.join(dir, name)).every((n) => n.endsWith(TEMP_SUFFIX));
  const stale = folders.filter((e, i) => i >= keep || now - e.mtime > maxAge || (now - e.mtime > 3600_000 && unfinished(e.name)));
  for (const e of stale) fs.rmSync(path.join(dir, e.name), { recursive: true, force: true });
  return stale.length;
}
