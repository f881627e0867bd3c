// Web-mode uploads: POST /api/upload?name=<file name> with the file's bytes as the body
// (Content-Type: application/octet-stream) keeps a query file for search (a file dropped on the Search screen in
// a browser, which has no path to give). The server has checked the token and Host before any /api route
// (server.ts); the octet-stream type cannot be sent cross-site without a CORS preflight, which this server never
// grants. The body is streamed into the data folder by the search domain (receiveUpload: temp file, size limit,
// fsync, rename), so it is never held in memory; a declared Content-Length over the limit is refused before a
// byte is read. Answers the same envelope as a call: {ok: true, result: {upload, name, bytes}} or {ok: false, error}.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { receiveUpload } from '../../services/search/index.js';
import { serializeError, UploadError } from '../../contract/errors.js';
import type { CallEnvelope } from '../../contract/wire.js';

export const UPLOAD_PATH = '/api/upload';

export interface UploadRouteOptions {
  /** The data folder the services run on (uploads go to its `uploads/`). */
  dataDir: string;
  /** Largest accepted upload, bytes. */
  maxBytes?: number;
}

function reply(res: ServerResponse, status: number, body: CallEnvelope): void {
  const data = Buffer.from(JSON.stringify(body));
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', data.length);
  res.end(data);
}

/** Serves POST /api/upload; the caller has checked the token and Host. */
export async function serveUpload(req: IncomingMessage, res: ServerResponse, url: URL, o: UploadRouteOptions | undefined): Promise<void> {
  res.setHeader('Cache-Control', 'no-store');
  const refuse = (status: number, err: Error) => {
    reply(res, status, { ok: false, error: serializeError(err) });
    // Whatever of the body is still coming is not read: close the connection once the answer is out.
    if (!req.complete) res.once('finish', () => req.destroy());
  };
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    return refuse(405, new UploadError(`${req.method ?? '?'} ${UPLOAD_PATH}: uploads use POST`, 'bad-request'));
  }
  if (!o) return refuse(501, new UploadError('this server keeps no uploads (it was started without a data folder)', 'bad-request'));
  const ctype = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (ctype !== 'application/octet-stream') {
    return refuse(415, new UploadError('an upload is sent as Content-Type: application/octet-stream', 'bad-request'));
  }
  const declared = req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
  try {
    const record = await receiveUpload(o.dataDir, url.searchParams.get('name') ?? '', req, { maxBytes: o.maxBytes, declaredBytes: declared });
    reply(res, 200, { ok: true, result: record });
  } catch (err) {
    if (err instanceof UploadError) return refuse(err.reason === 'too-large' ? 413 : 400, err);
    if (req.destroyed || res.destroyed) return; // the client went away mid-upload: nothing was kept
    refuse(500, err as Error);
  }
}
