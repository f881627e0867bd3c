// Starts the real web mode for the end-to-end tests: `node bin/voxelbase.js --json --data-dir <fresh tmp>
// serve --no-open --port 0`, waits for the JSON line with its URL, and hands it on in SERVER_INFO_ENV.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVER_INFO_ENV, type ServerInfo } from './server-info.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

export default async function globalSetup(): Promise<void> {
  const renderer = path.join(root, 'dist', 'renderer', 'index.html');
  if (!existsSync(renderer)) {
    throw new Error(`end-to-end tests need the built renderer (${renderer} is missing): run \`npm run build\` first`);
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'voxelbase-e2e-'));
  const child = spawn(
    process.execPath,
    [path.join(root, 'bin', 'voxelbase.js'), '--json', '--data-dir', dataDir, 'serve', '--no-open', '--port', '0'],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, VOXELBASE_HOME: dataDir } },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));

  const printed = await new Promise<{ url: string; port: number; token: string }>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => fail(new Error('`voxelbase serve` printed no URL within 60 s')), 60_000);
    function fail(err: Error) {
      clearTimeout(timer);
      child.kill('SIGTERM');
      reject(new Error(`${err.message}\nstdout: ${stdout}\nstderr: ${stderr}`));
    }
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const line = stdout.split('\n').find((l) => l.trim().startsWith('{'));
      if (!line) return;
      try {
        const parsed = JSON.parse(line) as { url: string; port: number; token: string };
        clearTimeout(timer);
        resolve(parsed);
      } catch {
        // a partial line; wait for more
      }
    });
    child.once('exit', (code, signal) => fail(new Error(`\`voxelbase serve\` exited early (code ${code}, signal ${signal})`)));
    child.once('error', (err) => fail(err));
  });
  child.removeAllListeners('exit');
  child.stdout.removeAllListeners('data');
  child.stdout.resume();
  child.unref();

  const info: ServerInfo = {
    url: printed.url,
    origin: new URL(printed.url).origin,
    port: printed.port,
    token: printed.token,
    dataDir,
    pid: child.pid ?? -1,
  };
  process.env[SERVER_INFO_ENV] = JSON.stringify(info);
}
