// Security and behaviour of the web-mode server, over real sockets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import net from 'node:net';
import WebSocket from 'ws';
import { createServices, type Services } from '../../../../../app/services/index.js';
import { startWebServer, type WebServer } from '../../../../../app/transports/http/server.js';
import { WebTransport, type SocketLike } from '../../../../../renderer/src/api/web-transport.js';
import { startDemoJob } from '../../../../support/demo-job.js';
import type { JobProgress, InfoResult } from '../../../../../app/contract/types.js';

let services: Services;
let web: WebServer;
let root: string;
let staticDir: string;
const SECRET = 'top-secret-outside-static-dir';

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-web-'));
  staticDir = path.join(root, 'renderer');
  fs.mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Voxelbase test</title><script src="./assets/app.js"></script>');
  fs.writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log("app")');
  fs.writeFileSync(path.join(root, 'secret.txt'), SECRET);
  fs.symlinkSync(path.join(root, 'secret.txt'), path.join(staticDir, 'link.txt'));
  services = createServices({ dataDir: path.join(root, 'data') });
  web = await startWebServer({ services, staticDir });
});
afterAll(async () => {
  await web?.close();
  await services?.close();
});

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(
  opts: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer; host?: string; port?: number },
): Promise<Reply> {
  const port = opts.port ?? web.port;
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: opts.host ?? '127.0.0.1',
        port,
        method: opts.method ?? 'GET',
        path: opts.path,
        headers: { Host: `127.0.0.1:${port}`, ...opts.headers },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

const auth = () => ({ Authorization: `Bearer ${web.token}` });
const callHeaders = () => ({ ...auth(), 'Content-Type': 'application/json' });

describe('web mode: listening address', () => {
  it('binds 127.0.0.1 only and prints a loopback URL carrying the token', () => {
    const addr = web.server.address() as net.AddressInfo;
    expect(addr.address).toBe('127.0.0.1');
    expect(addr.family).toBe('IPv4');
    expect(web.url).toBe(`http://127.0.0.1:${web.port}/?token=${web.token}`);
    expect(Buffer.from(web.token, 'base64url')).toHaveLength(32);
  });

  it('refuses to listen on any other host', async () => {
    await expect(startWebServer({ services, host: '0.0.0.0' })).rejects.toThrow(/127\.0\.0\.1 only/);
    await expect(startWebServer({ services, host: '::' })).rejects.toThrow(/127\.0\.0\.1 only/);
  });

  it('cannot be reached through another local address', async () => {
    const others = ['127.0.0.2', '::1'];
    for (const list of Object.values(os.networkInterfaces())) {
      for (const a of list ?? []) if (!a.internal && !a.address.startsWith('fe80')) others.push(a.address);
    }
    for (const host of others) {
      const outcome = await new Promise<string>((resolve) => {
        const s = net.connect({ host, port: web.port, timeout: 2000 });
        s.once('connect', () => {
          s.destroy();
          resolve('connected');
        });
        s.once('timeout', () => {
          s.destroy();
          resolve('timeout');
        });
        s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      });
      expect(outcome, `connecting via ${host}`).not.toBe('connected');
    }
  });
});

describe('web mode: token', () => {
  it('answers 401 without a token, for pages, files and API calls', async () => {
    for (const p of ['/', '/index.html', '/assets/app.js', '/some/route']) {
      const r = await request({ path: p });
      expect(r.status, p).toBe(401);
      expect(r.body).not.toContain('Voxelbase test');
    }
    const api = await request({ method: 'POST', path: '/api/call/app:info', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(api.status).toBe(401);
    expect(api.body).not.toContain('providers');
  });

  it('answers 401 to a wrong token in the cookie, the Bearer header or the query', async () => {
    const wrong = web.token.slice(0, -1) + (web.token.endsWith('A') ? 'B' : 'A');
    expect((await request({ path: '/', headers: { Cookie: `vb_token_${web.port}=${wrong}` } })).status).toBe(401);
    expect((await request({ path: '/', headers: { Authorization: `Bearer ${wrong}` } })).status).toBe(401);
    expect((await request({ path: `/?token=${wrong}` })).status).toBe(401);
    expect((await request({ path: '/?token=' })).status).toBe(401);
  });

  it('moves a correct ?token= into an HttpOnly SameSite=Strict cookie and redirects to /', async () => {
    const r = await request({ path: `/?token=${web.token}` });
    expect(r.status).toBe(302);
    expect(r.headers.location).toBe('/');
    const cookie = String(r.headers['set-cookie']);
    expect(cookie).toContain(`vb_token_${web.port}=${web.token}`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\//);
    const page = await request({ path: '/', headers: { Cookie: `vb_token_${web.port}=${web.token}` } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('Voxelbase test');
  });

  it('keeps one cookie per port, so two servers on one machine do not lock each other out', async () => {
    // Browsers scope cookies by host, not port: both servers' cookies reach both servers.
    const other = await startWebServer({ services, staticDir });
    try {
      const mine = String((await request({ path: `/?token=${web.token}` })).headers['set-cookie']).split(';')[0]!;
      const theirs = String((await request({ port: other.port, path: `/?token=${other.token}` })).headers['set-cookie']).split(';')[0]!;
      expect(mine).not.toBe(theirs);
      const jar = `${theirs}; ${mine}`;
      expect((await request({ path: '/', headers: { Cookie: jar } })).status).toBe(200);
      expect((await request({ port: other.port, path: '/', headers: { Cookie: jar } })).status).toBe(200);
      // A cookie carrying the other server's token under this server's name is refused.
      expect((await request({ path: '/', headers: { Cookie: `vb_token_${web.port}=${other.token}` } })).status).toBe(401);
    } finally {
      await other.close();
    }
  });
});

describe('web mode: Host and headers', () => {
  it('refuses a foreign Host header even with the token (DNS rebinding)', async () => {
    for (const host of ['evil.example', `evil.example:${web.port}`, '127.0.0.1', `127.0.0.1:${web.port + 1}`]) {
      const r = await request({ path: '/', headers: { ...auth(), Host: host } });
      expect(r.status, host).toBe(403);
    }
    expect((await request({ path: '/', headers: { ...auth(), Host: `localhost:${web.port}` } })).status).toBe(200);
  });

  it('sends a strict CSP and nosniff on every response', async () => {
    for (const r of [await request({ path: '/', headers: auth() }), await request({ path: '/' })]) {
      const csp = String(r.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${web.port}`);
      expect(r.headers['x-content-type-options']).toBe('nosniff');
    }
  });
});

describe('web mode: static files', () => {
  it('serves the renderer, with an SPA fallback for routes', async () => {
    const js = await request({ path: '/assets/app.js', headers: auth() });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toMatch(/text\/javascript/);
    const route = await request({ path: '/library', headers: auth() });
    expect(route.status).toBe(200);
    expect(route.body).toContain('Voxelbase test');
    expect((await request({ path: '/missing.js', headers: auth() })).status).toBe(404);
  });

  it('refuses path traversal, encoded or not, and symlinks out of the folder', async () => {
    const attempts = [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E%2Fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
      '/%252e%252e/secret.txt',
      '/assets/%00.js',
      '/link.txt',
      `/${'%2e%2e/'.repeat(8)}etc/passwd`,
    ];
    for (const p of attempts) {
      const r = await request({ path: p, headers: auth() });
      expect([400, 404], p).toContain(r.status);
      expect(r.body, p).not.toContain(SECRET);
      expect(r.body, p).not.toContain('root:');
    }
  });
});

describe('web mode: API', () => {
  it('answers app:info over HTTP with cpu among working providers', async () => {
    const r = await request({ method: 'POST', path: '/api/call/app:info', headers: callHeaders(), body: '{}' });
    expect(r.status).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    const env = JSON.parse(r.body) as { ok: true; result: InfoResult };
    expect(env.ok).toBe(true);
    expect(env.result.providers.filter((p) => p.works).map((p) => p.name)).toContain('cpu');
    expect(env.result.catalogue.series).toBe(0);
  });

  it('maps unknown calls, invalid args, bad bodies and methods to 4xx with named errors', async () => {
    const unknown = await request({ method: 'POST', path: '/api/call/nope:x', headers: callHeaders(), body: '{}' });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body).error.name).toBe('UnknownCallError');
    const invalid = await request({ method: 'POST', path: '/api/call/jobs:get', headers: callHeaders(), body: '{"job":5}' });
    expect(invalid.status).toBe(400);
    expect(JSON.parse(invalid.body)).toMatchObject({ ok: false, error: { name: 'ValidationError' } });
    const notJson = await request({ method: 'POST', path: '/api/call/app:info', headers: callHeaders(), body: '{' });
    expect(notJson.status).toBe(400);
    const form = await request({
      method: 'POST',
      path: '/api/call/app:info',
      headers: { ...auth(), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'a=1',
    });
    expect(form.status).toBe(415);
    const big = await request({ method: 'POST', path: '/api/call/app:info', headers: callHeaders(), body: Buffer.alloc(2 << 20, 32) });
    expect(big.status).toBe(413);
    expect((await request({ method: 'GET', path: '/api/call/app:info', headers: auth() })).status).toBe(405);
    const nf = await request({ method: 'POST', path: '/api/call/jobs:get', headers: callHeaders(), body: '{"job":"zz"}' });
    expect(JSON.parse(nf.body)).toMatchObject({ ok: false, error: { name: 'NotFoundError', message: 'no job with id zz' } });
  });

  it("the renderer's web transport, run in Node with the token as a header, rebuilds errors as named Errors", async () => {
    const bearer = { Authorization: `Bearer ${web.token}` };
    const api = new WebTransport({
      baseUrl: `http://127.0.0.1:${web.port}`,
      fetch: (url, init) => fetch(url, { ...init, headers: { ...(init?.headers as Record<string, string>), ...bearer } }),
      openSocket: (url) => new WebSocket(url, { headers: bearer }) as unknown as SocketLike,
    });
    const info = await api.call('app:info', {});
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
    const err = await api.call('jobs:get', { job: 'missing' }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toBe('NotFoundError');
    api.close();
  });
});

describe('web mode: WebSocket events', () => {
  function connect(headers: Record<string, string>, query = ''): Promise<{ ws?: WebSocket; status?: number }> {
    return new Promise((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${web.port}/api/events${query}`, { headers });
      ws.once('open', () => resolve({ ws }));
      ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode }));
      ws.once('error', () => resolve({ status: -1 }));
    });
  }

  it('refuses a handshake without a token, with a wrong one, or from a foreign Origin', async () => {
    expect((await connect({})).status).toBe(401);
    expect((await connect({ Authorization: 'Bearer nope' })).status).toBe(401);
    expect((await connect({}, '?token=nope')).status).toBe(401);
    expect((await connect({ ...auth(), Origin: 'http://evil.example' })).status).toBe(403);
    expect((await connect({ ...auth(), Host: 'evil.example' })).status).toBe(403);
  });

  it('pushes job-progress events to an authorised client', async () => {
    const { ws } = await connect({ Cookie: `vb_token_${web.port}=${web.token}`, Origin: `http://127.0.0.1:${web.port}` });
    expect(ws).toBeDefined();
    const got: JobProgress[] = [];
    ws!.on('message', (d) => {
      const m = JSON.parse(String(d)) as { event: string; payload: JobProgress };
      if (m.event === 'job-progress') got.push(m.payload);
    });
    const j = startDemoJob(services.jobs, async (ctx) => {
      ctx.progress({ step: 'parse', current: 1, total: 1 });
    });
    await services.jobs.wait(j.job);
    await new Promise((r) => setTimeout(r, 200));
    ws!.close();
    expect(got.filter((p) => p.job === j.job).at(-1)).toMatchObject({ state: 'done', kind: 'import', step: 'parse' });
  });
});
