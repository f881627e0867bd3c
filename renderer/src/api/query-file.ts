// A file the user dropped (or picked) as a search query, made into what search:similar takes: in the desktop app
// its path on disk (the preload's pathForFile: the services read it where it is); in the web mode, where the page
// has no path, an upload of its bytes to the server (POST /api/upload?name=..., app/transports/http/uploads.ts)
// and the upload's id. XMLHttpRequest rather than fetch: it reports upload progress.
/// <reference lib="dom" />
import type { UploadRecord } from '../../../app/contract/types.js';
import { isSerializedError, toError, transportError } from './errors.js';

export type FileQuery = { path: string } | { upload: string };

export interface FileQueryOptions {
  /** Upload progress, 0..1 (web mode only). */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

/** The query for `file`: its path in the desktop app, an upload's id in the web mode. */
export async function fileQuery(file: File, o: FileQueryOptions = {}, win: Window = window): Promise<FileQuery> {
  const bridge = win.voxelbase;
  if (bridge) {
    const p = bridge.pathForFile?.(file) ?? '';
    if (!p) throw transportError('ValidationError', `${file.name}: the desktop app got no path for this file; drop it from a folder on disk`);
    return { path: p };
  }
  const rec = await uploadFile(file, o);
  return { upload: rec.upload };
}

/** Sends `file` to the web server; resolves with the upload's record, rejects with the server's error. */
export function uploadFile(file: Blob & { name: string }, o: FileQueryOptions = {}): Promise<UploadRecord> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/upload?name=${encodeURIComponent(file.name)}`);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) o.onProgress?.(e.loaded / e.total);
    };
    xhr.onload = () => {
      const body = xhr.response as { ok?: boolean; result?: UploadRecord; error?: unknown } | null;
      if (body?.ok && body.result) return resolve(body.result);
      if (body && isSerializedError(body.error)) return reject(toError(body.error));
      reject(transportError('ConnectionError', `upload of ${file.name}: unexpected reply from the server (HTTP ${xhr.status})`));
    };
    xhr.onerror = () => reject(transportError('ConnectionError', `upload of ${file.name}: could not reach the Voxelbase server`));
    xhr.onabort = () => reject(transportError('CancelledError', `upload of ${file.name} cancelled`));
    o.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}
