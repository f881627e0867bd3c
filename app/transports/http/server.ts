// Web mode: the services behind HTTP + WebSocket on 127.0.0.1 only, guarded by a random token.
//   GET  /?token=T          -> sets the HttpOnly SameSite=Strict cookie and redirects to / (token out of the URL bar)
//   POST /api/call/:name    -> JSON args in, {ok:true,result} | {ok:false,error:{name,message,...}} out
//   WS   /api/events        -> {event, payload} for every contract event
//   GET  /api/download/...  -> files as a download (downloads.ts: an export as a zip)
//   POST /api/upload?name=N -> a query file for search, kept in the data folder (uploads.ts)
//   GET  /*                 -> the built renderer (dist/renderer), SPA fallback to index.html
// Every request needs the token (cookie, Bearer header or ?token=) and a Host header naming this server
// (DNS-rebinding defence); WebSocket handshakes also need a same-server Origin when one is sent.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import fs from 'node:fs';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket } from 'ws';
import type { Services } from '../../services/index.js';
import type { AnyHandlers } from '../../services/index.js';
import { ForbiddenError, NotFoundError, ValidationError, VoxelbaseError, serializeError } from '../../contract/errors.js';
import type { CallEnvelope, EventEnvelope } from '../../contract/wire.js';
import { dispatchEnvelope } from '../dispatch.js';
import { cookieName, hostAllowed, newToken, originAllowed, requestToken } from './auth.js';
import { setSecurityHeaders } from './security-headers.js';
import { resolveStatic, sendFile } from './static-files.js';
import { DOWNLOAD_PREFIX, serveDownload } from './downloads.js';
import { UPLOAD_PATH, serveUpload } from './uploads.js';
import { packageInfo } from '../../services/info/index.js';

export const LOOPBACK = '127.0.0.1';
export const DEFAULT_BODY_LIMIT = 1 << 20;

export interface WebServerOptions {
  /** With `dataDir`, POST /api/upload keeps query files there (without it, uploads are refused). */
  services: Pick<Services, 'handlers' | 'events'> & Partial<Pick<Services, 'dataDir'>>;
  /** 0 or undefined: a random free port. */
  port?: number;
  /** Only '127.0.0.1' is accepted; anything else throws. */
  host?: string;
  /** Built renderer; default <package root>/dist/renderer. */
  staticDir?: string;
  /** Fixed token (tests); default 32 random bytes. */
  token?: string;
  bodyLimit?: number;
  /** Largest upload (POST /api/upload), bytes; default the search domain's (2 GiB). */
  uploadLimit?: number;
}

export interface WebServer {
  url: string;
  token: string;
  port: number;
  server: http.Server;
  close(): Promise<void>;
}

export class WebServerError extends VoxelbaseError {}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const host = options.host ?? LOOPBACK;
  if (host !== LOOPBACK) {
    throw new WebServerError(`web mode listens on ${LOOPBACK} only, refusing host ${JSON.stringify(host)}`);
  }
  const token = options.token ?? newToken();
  const staticDir = path.resolve(options.staticDir ?? path.join(packageInfo().root, 'dist', 'renderer'));
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const handlers = options.services.handlers as AnyHandlers;
  let port = 0;

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) json(res, 500, { ok: false, error: serializeError(err) });
      else res.destroy();
    });
  });
  server.headersTimeout = 30_000;
  server.requestTimeout = 120_000;
  // Keep idle connections longer than clients do (browsers and Node's fetch close theirs after a few seconds): with
  // Node's default 5 s a client could send on a socket the server was closing at that moment ("other side closed").
  server.keepAliveTimeout = 65_000;

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  wss.on('connection', (ws) => {
    ws.on('message', () => undefined); // events flow one way; client messages are ignored
    ws.on('error', () => undefined);
  });
  const unsubscribe = options.services.events.onAny((event, payload) => {
    if (wss.clients.size === 0) return;
    const data = JSON.stringify({ event, payload } satisfies EventEnvelope);
    for (const c of wss.clients) if (c.readyState === WebSocket.OPEN) c.send(data);
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refuse = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
    };
    if (!hostAllowed(req.headers.host, port)) return refuse(403, 'Forbidden');
    if (!originAllowed(req.headers.origin, port)) return refuse(403, 'Forbidden');
    const url = parseUrl(req.url, port);
    if (!url) return refuse(400, 'Bad Request');
    if (!requestToken(req, url, token, port)) return refuse(401, 'Unauthorized');
    if (url.pathname !== '/api/events') return refuse(404, 'Not Found');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    setSecurityHeaders(res, port);
    if (!hostAllowed(req.headers.host, port)) return text(res, 403, 'Forbidden: unexpected Host header');
    const url = parseUrl(req.url, port);
    if (!url) return text(res, 400, 'Bad request');
    const via = requestToken(req, url, token, port);
    if (!via) {
      return text(res, 401, 'Unauthorized: open the URL printed by `voxelbase serve` (it carries the access token).');
    }
    const isApi = url.pathname === '/api' || url.pathname.startsWith('/api/');
    if (via === 'query' && !isApi && (req.method === 'GET' || req.method === 'HEAD')) {
      // Move the token into a cookie and out of the address bar / history.
      url.searchParams.delete('token');
      res.setHeader('Set-Cookie', `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`);
      res.setHeader('Location', url.pathname + url.search);
      res.setHeader('Cache-Control', 'no-store');
      res.statusCode = 302;
      res.end();
      return;
    }
    if (isApi) return api(req, res, url);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return text(res, 405, 'Method not allowed');
    }
    return serveStatic(res, url, req.method === 'HEAD');
  }

  async function api(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    res.setHeader('Cache-Control', 'no-store');
    if (url.pathname.startsWith(DOWNLOAD_PREFIX)) return serveDownload(req, res, url, handlers);
    if (url.pathname === UPLOAD_PATH) {
      const dataDir = options.services.dataDir;
      return serveUpload(req, res, url, dataDir ? { dataDir, maxBytes: options.uploadLimit } : undefined);
    }
    const m = /^\/api\/call\/([^/]+)$/.exec(url.pathname);
    if (!m) return refuse(res, 404, new NotFoundError(`no API route ${url.pathname}`));
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      return refuse(res, 405, new ForbiddenError(`${req.method ?? '?'} ${url.pathname}: API calls use POST`));
    }
    const ctype = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (ctype !== 'application/json') {
      return refuse(res, 415, new ValidationError('Content-Type must be application/json'));
    }
    let name: string;
    try {
      name = decodeURIComponent(m[1]);
    } catch {
      return refuse(res, 400, new ValidationError('malformed call name'));
    }
    const body = await readBody(req, bodyLimit);
    if (body === 'too-large') {
      return refuse(res, 413, new ValidationError(`request body over ${bodyLimit} bytes`));
    }
    let args: unknown;
    try {
      args = body.length ? JSON.parse(body.toString('utf8')) : {};
    } catch (err) {
      return refuse(res, 400, new ValidationError(`request body of ${name} is not JSON: ${(err as Error).message}`));
    }
    const env = await dispatchEnvelope(handlers, name, args);
    return json(res, env.ok ? 200 : statusFor(env.error.name), env);
  }

  function serveStatic(res: ServerResponse, url: URL, headOnly: boolean): void {
    if (!fs.existsSync(staticDir)) {
      if (url.pathname === '/' || url.pathname === '/index.html') return html(res, 200, notBuiltPage(staticDir));
      return text(res, 404, 'Not found');
    }
    const r = resolveStatic(staticDir, url.pathname);
    if ('status' in r) return text(res, r.status, r.status === 400 ? 'Bad request' : 'Not found');
    sendFile(res, r.file, r.type, headOnly);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port ?? 0, host: LOOPBACK, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  if (!addr || typeof addr === 'string' || addr.address !== LOOPBACK) {
    server.close();
    throw new WebServerError(`web server bound to unexpected address ${JSON.stringify(addr)}`);
  }
  port = addr.port;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${LOOPBACK}:${port}/?token=${token}`,
    token,
    port,
    server,
    close() {
      closing ??= new Promise<void>((resolve) => {
        unsubscribe();
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/**
 * The request target as a URL, or null when it is malformed or tries to leave the root: the WHATWG URL
 * parser silently resolves '..' and '%2e%2e' segments, so the raw path is checked (decoded) first.
 */
function parseUrl(raw: string | undefined, port: number): URL | null {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//')) return null;
  const rawPath = raw.split(/[?#]/, 1)[0];
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  if (/[\\\0]/.test(decoded) || decoded.split('/').some((seg) => seg === '..' || seg === '.')) return null;
  try {
    return new URL(raw, `http://${LOOPBACK}:${port}`);
  } catch {
    return null;
  }
}

/** A refusal before dispatch, as the same envelope a handler's error would give. */
function refuse(res: ServerResponse, status: number, err: Error): void {
  json(res, status, { ok: false, error: serializeError(err) });
}

function statusFor(errorName: string): number {
  switch (errorName) {
    case 'UnknownCallError':
      return 404;
    case 'ValidationError':
      return 400;
    case 'NotSupportedError':
      return 501;
    default:
      return 200; // a domain error is a normal outcome of the call: the envelope says ok:false
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      req.resume();
      return resolve('too-large');
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) over = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(over ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: CallEnvelope | Record<string, unknown>): void {
  const data = Buffer.from(JSON.stringify(body));
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', data.length);
  res.end(data);
}

function text(res: ServerResponse, status: number, body: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end(body);
}

function html(res: ServerResponse, status: number, body: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache');
  res.end(body);
}

function notBuiltPage(dir: string): string {
  const esc = dir.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html lang="en"><meta charset="utf-8"><title>Voxelbase</title>
<h1>Voxelbase web mode is running</h1>
<p>The user interface has not been built: <code>${esc}</code> is missing. Run <code>npm run build</code> and reload.</p>
<p>The API is available at <code>POST /api/call/&lt;name&gt;</code>.</p></html>`;
}
