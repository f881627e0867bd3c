// POST /api/upload over real sockets (app/transports/http/uploads.ts): the token is required like any /api route;
// only POST with application/octet-stream is taken (a cross-site form cannot send it without a preflight); a
// declared or streamed body over the limit gets 413 and leaves nothing in the data folder; an accepted body is kept
// byte for byte under the data folder's uploads/.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../../../app/services/index.js';
import { startWebServer, type WebServer } from '../../../../../app/transports/http/server.js';
import { uploadFile, uploadsDir } from '../../../../../app/services/search/index.js';

let services: Services;
let web: WebServer;
let root: string;
const LIMIT = 64 * 1024;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-upload-'));
  services = createServices({ dataDir: path.join(root, 'data') });
  web = await startWebServer({ services, staticDir: path.join(root, 'none'), uploadLimit: LIMIT });
});
afterAll(async () => {
  await web?.close();
  await services?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

interface Reply {
  status: number;
  body: { ok: boolean; result?: { upload: string; name: string; bytes: number }; error?: { name: string; message: string } };
}

/** Sends `chunks` one by one (chunked transfer unless `length` is given). */
function post(p: string, chunks: Buffer[], headers: Record<string, string | number> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: web.port, method: 'POST', path: p, agent: false, headers: { Host: `127.0.0.1:${web.port}`, ...headers } },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () => {
          const text = Buffer.concat(parts).toString();
          const json = res.headers['content-type']?.startsWith('application/json') ? (JSON.parse(text) as Reply['body']) : { ok: false };
          resolve({ status: res.statusCode!, body: json });
        });
      },
    );
    req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' || e.code === 'EPIPE' ? undefined : reject(e)));
    for (const c of chunks) req.write(c);
    req.end();
  });
}

const auth = { Authorization: 'Bearer ' };
const ok = () => ({ Authorization: `Bearer ${web.token}`, 'Content-Type': 'application/octet-stream' });
const kept = () => (fs.existsSync(uploadsDir(services.dataDir)) ? fs.readdirSync(uploadsDir(services.dataDir)) : []);

describe('POST /api/upload', () => {
  it('needs the token', async () => {
    const r = await post('/api/upload?name=a.nii', [Buffer.from('x')], { ...auth, 'Content-Type': 'application/octet-stream' });
    expect(r.status).toBe(401);
    expect(kept()).toEqual([]);
  });

  it('takes only POST with application/octet-stream', async () => {
    expect((await post('/api/upload?name=a.nii', [Buffer.from('x')], { ...ok(), 'Content-Type': 'text/plain' })).status).toBe(415);
    expect((await post('/api/upload?name=a.nii', [Buffer.from('x')], { ...ok(), 'Content-Type': 'multipart/form-data; boundary=x' })).status).toBe(415);
    const get = await new Promise<number>((resolve, reject) =>
      http
        .get({ host: '127.0.0.1', port: web.port, path: '/api/upload?name=a', agent: false, headers: { Host: `127.0.0.1:${web.port}`, Authorization: `Bearer ${web.token}` } }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        })
        .on('error', reject),
    );
    expect(get).toBe(405);
    const noName = await post('/api/upload', [Buffer.from('x')], ok());
    expect([noName.status, noName.body.error?.name]).toEqual([400, 'UploadError']);
    expect(kept()).toEqual([]);
  });

  it('answers 413 for a declared or a streamed body over the limit and keeps nothing', async () => {
    // Only 10 of the declared bytes are sent: the answer comes from the header alone.
    const declared = await post('/api/upload?name=big.nii', [Buffer.alloc(10)], { ...ok(), 'Content-Length': LIMIT + 1 });
    expect([declared.status, declared.body.error?.name]).toEqual([413, 'UploadError']);
    const streamed = await post('/api/upload?name=big.nii', [Buffer.alloc(LIMIT / 2), Buffer.alloc(LIMIT / 2), Buffer.alloc(16)], ok());
    expect(streamed.status).toBe(413);
    expect(streamed.body.error?.message).toMatch(/big\.nii: over the upload limit of 65536 bytes/);
    expect(kept()).toEqual([]);
  });

  it('keeps an accepted body byte for byte', async () => {
    const bytes = Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 31) & 255));
    const r = await post('/api/upload?name=' + encodeURIComponent('scan one.nii.gz'), [bytes.subarray(0, 20_000), bytes.subarray(20_000)], ok());
    expect(r.status).toBe(200);
    expect(r.body.result).toMatchObject({ name: 'scan one.nii.gz', bytes: 50_000 });
    const f = uploadFile(services.dataDir, r.body.result!.upload);
    expect(fs.readFileSync(f.path).equals(bytes)).toBe(true);
  });
});
