// `voxelbase serve` as a user runs it: prints its URL, answers with the token, refuses without it, and
// stops cleanly on SIGTERM.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

describe('voxelbase serve', () => {
  it('prints a loopback URL with a token, serves the API behind it, and exits on SIGTERM', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-serve-'));
    const child = spawn(process.execPath, ['bin/voxelbase.js', 'serve', '--no-open', '--json', '--data-dir', dataDir], {
      env: { ...process.env, VOXELBASE_FROM_SOURCE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        readline.createInterface({ input: child.stdout! }).once('line', resolve);
        child.once('exit', (code) => reject(new Error(`serve exited early with ${code}`)));
      });
      const started = JSON.parse(line) as { url: string; port: number; token: string; dataDir: string };
      expect(started.url).toBe(`http://127.0.0.1:${started.port}/?token=${started.token}`);
      expect(started.dataDir).toBe(dataDir);

      const base = `http://127.0.0.1:${started.port}`;
      const denied = await fetch(`${base}/api/call/app:info`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      expect(denied.status).toBe(401);
      const first = await fetch(started.url, { redirect: 'manual' });
      expect(first.status).toBe(302);
      const cookie = first.headers.get('set-cookie')!.split(';')[0];
      const ok = await fetch(`${base}/api/call/app:info`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Cookie: cookie },
        body: '{}',
      });
      const env = (await ok.json()) as { ok: boolean; result: { providers: { name: string; works: boolean }[] } };
      expect(env.ok).toBe(true);
      expect(env.result.providers.find((p) => p.name === 'cpu')?.works).toBe(true);
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });
});
