// Web-mode downloads: GET /api/download/export/<id> streams one export folder (encoder.onnx, the safetensors, the
// model card) as a zip, so the browser saves one file where the desktop app writes a folder. The server checks the
// token and Host before any /api route (server.ts); the export is found through the services (`export:get`), so
// only folders the export domain made can be served, by id, never by path.
// The zip is made with fflate while it is sent: stored (no compression) for the weights, which deflate by a few
// per cent at best, deflated for the text files; reads pause while the socket's buffer is full.
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Writable } from 'node:stream';
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import type { AnyHandlers } from '../../services/index.js';
import { serializeError } from '../../contract/errors.js';
import type { ExportRecord } from '../../contract/types.js';
import { dispatch } from '../dispatch.js';

export const DOWNLOAD_PREFIX = '/api/download/';

export interface ZipEntry {
  /** Name inside the archive. */
  name: string;
  /** Absolute path of the file to read. */
  path: string;
}

const DEFLATE = /\.(json|md|txt|csv|py)$/i;

function waitDrain(out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', closed);
      resolve();
    };
    const closed = () => {
      out.off('drain', done);
      reject(new Error('the connection closed during the download'));
    };
    out.once('drain', done);
    out.once('close', closed);
  });
}

/** Writes a zip of `entries` to `out` (which it does not end). Rejects when `out` closes early. */
export async function writeZip(out: Writable, entries: readonly ZipEntry[]): Promise<void> {
  let failure: Error | null = null;
  const zip = new Zip((err, chunk, final) => {
    if (err) failure = err;
    else if (chunk.length) out.write(chunk);
    void final;
  });
  const drained = async () => {
    if (failure) throw failure;
    if (out.destroyed) throw new Error('the connection closed during the download');
    if (out.writableNeedDrain) await waitDrain(out);
  };
  for (const e of entries) {
    const stat = await fs.promises.stat(e.path);
    const file = DEFLATE.test(e.name) ? new ZipDeflate(e.name, { level: 6 }) : new ZipPassThrough(e.name);
    file.mtime = stat.mtime;
    zip.add(file);
    const stream = fs.createReadStream(e.path, { highWaterMark: 1 << 20 });
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      file.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      await drained();
    }
    file.push(new Uint8Array(0), true);
    await drained();
  }
  zip.end();
  await drained();
}

/** `<name>.zip` safe for a Content-Disposition header. */
function attachment(name: string): string {
  const ascii = name.replace(/[^A-Za-z0-9._-]+/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

function fail(res: ServerResponse, status: number, name: string, message: string): void {
  const body = Buffer.from(JSON.stringify({ ok: false, error: { name, message } }));
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', body.length);
  res.end(body);
}

/** Serves GET /api/download/export/<id>; the caller has checked the token and Host. */
export async function serveDownload(req: IncomingMessage, res: ServerResponse, url: URL, handlers: AnyHandlers): Promise<void> {
  res.setHeader('Cache-Control', 'no-store');
  if (req.method !== 'GET') {
    res.setHeader('Allow', 'GET');
    return fail(res, 405, 'Error', 'use GET');
  }
  const m = /^\/api\/download\/export\/([^/]+)$/.exec(url.pathname);
  if (!m) return fail(res, 404, 'NotFoundError', `no download at ${url.pathname}`);
  let record: ExportRecord;
  try {
    record = (await dispatch(handlers, 'export:get', { id: decodeURIComponent(m[1]) })) as ExportRecord;
  } catch (err) {
    const e = serializeError(err);
    return fail(res, e.name === 'NotFoundError' ? 404 : e.name === 'ValidationError' ? 400 : 500, e.name, e.message);
  }
  res.statusCode = 200;
  res.setHeader('Content-Type', 'application/zip');
  res.setHeader('Content-Disposition', attachment(`${record.name}.zip`));
  try {
    await writeZip(res, record.files.map((f) => ({ name: `${record.name}/${f.name}`, path: f.path })));
    res.end();
  } catch {
    res.destroy(); // headers are out: a cut connection is the only honest signal left
  }
}
