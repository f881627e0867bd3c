// Web mode's security as a browser sees it: the page has no Node access, the server refuses the page,
// the API and the event socket without the token, checks the Host header (DNS rebinding), sends a strict
// CSP, and listens on loopback only.
/// <reference lib="dom" />
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import { expect, test } from './fixtures.js';

test('the page has no Node or Electron access in web mode', async ({ app }) => {
  const globals = await app.evaluate(() => {
    const w = window as unknown as Record<string, unknown>;
    return {
      require: typeof w.require,
      process: typeof w.process,
      module: typeof w.module,
      Buffer: typeof w.Buffer,
      voxelbase: 'voxelbase' in window,
    };
  });
  expect(globals).toEqual({ require: 'undefined', process: 'undefined', module: 'undefined', Buffer: 'undefined', voxelbase: false });
});

test('the app page is served with a strict Content-Security-Policy and no token in the URL', async ({ page, server }) => {
  const response = await page.goto(server.url);
  expect(response?.status()).toBe(200);
  const csp = (await response?.allHeaders())?.['content-security-policy'] ?? '';
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain('unsafe-eval');
  expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  expect(new URL(page.url()).search).toBe('');
  // The token cookie is HttpOnly: page scripts cannot read it.
  expect(await page.evaluate(() => document.cookie)).not.toContain('vb_token');
  const cookies = await page.context().cookies(server.origin);
  const cookie = cookies.find((c) => c.name === `vb_token_${new URL(server.origin).port}`);
  expect(cookie?.httpOnly).toBe(true);
  expect(cookie?.sameSite).toBe('Strict');
});

test('without the token the page, the API and the event socket are refused', async ({ browser, server }) => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const response = await page.goto(`${server.origin}/`);
    expect(response?.status()).toBe(401);
    await expect(page.locator('#app')).toHaveCount(0);

    for (const token of [undefined, 'wrong-token', server.token.slice(0, -1)]) {
      const url = `${server.origin}/api/call/app:info${token === undefined ? '' : `?token=${token}`}`;
      const api = await context.request.post(url, { data: {} });
      expect(api.status(), `API with token ${String(token)}`).toBe(401);
      const asset = await context.request.get(`${server.origin}/index.html${token === undefined ? '' : `?token=${token}`}`);
      expect(asset.status()).toBe(401);
    }

    // From the refused page (same origin), a WebSocket to the event channel never opens.
    const outcome = await page.evaluate(
      (wsUrl) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(wsUrl);
          ws.onopen = () => resolve('open');
          ws.onclose = () => resolve('closed');
          setTimeout(() => resolve('timeout'), 20_000); // the refusal comes at once; bounded for a loaded machine
        }),
      `ws://127.0.0.1:${server.port}/api/events`,
    );
    expect(outcome).toBe('closed');
  } finally {
    await context.close();
  }
});

test('the token works as a Bearer header for scripts, and the Host header is checked', async ({ server }) => {
  const ok = await request(server.port, { authorization: `Bearer ${server.token}` });
  expect(ok.status).toBe(200);
  expect(JSON.parse(ok.body)).toMatchObject({ ok: true, result: { dataDir: server.dataDir } });

  const rebinding = await request(server.port, { authorization: `Bearer ${server.token}`, host: `evil.example:${server.port}` });
  expect(rebinding.status).toBe(403);
});

test('web mode listens on loopback only', async ({ server }) => {
  expect(new URL(server.url).hostname).toBe('127.0.0.1');
  // 127.0.0.2 is always there on Linux (all of 127/8 is loopback): a server bound to 0.0.0.0 would answer it.
  // Every outside IPv4 address of this machine is tried as well.
  const external = Object.values(os.networkInterfaces())
    .flat()
    .filter((a): a is os.NetworkInterfaceInfo => a !== undefined && !a.internal && a.family === 'IPv4')
    .map((a) => a.address);
  for (const address of ['127.0.0.2', ...external]) {
    const result = await new Promise<string>((resolve) => {
      const socket = net.connect({ host: address, port: server.port });
      socket.setTimeout(10_000, () => {
        socket.destroy();
        resolve('timeout');
      });
      socket.once('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
    });
    expect(result, `connecting to ${address}:${server.port}`).toBe('ECONNREFUSED');
  }
});

function request(port: number, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/call/app:info',
        headers: { 'content-type': 'application/json', host: `127.0.0.1:${port}`, ...headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end('{}');
  });
}
