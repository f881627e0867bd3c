// Starts and stops a real web-mode server for the end-to-end tests: `node bin/voxelbase.js --json --data-dir
// DIR serve --no-open --port 0`, waiting for the JSON line with its URL. global-setup.ts starts the shared
// server with it; test files that need a catalogue of their own (a large imported corpus) start another.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerInfo } from './server-info.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Starts `voxelbase serve` on a data folder; resolves when it has printed its URL (or fails within 60 s).
 * `env`: extra environment for the server (e.g. a HOME of the test's own for the folder browser).
 */
export async function startServer(dataDir: string, env: Record<string, string> = {}): Promise<ServerInfo> {
  const child = spawn(
    process.execPath,
    [path.join(root, 'bin', 'voxelbase.js'), '--json', '--data-dir', dataDir, 'serve', '--no-open', '--port', '0'],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, VOXELBASE_HOME: dataDir, ...env } },
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

  return {
    url: printed.url,
    origin: new URL(printed.url).origin,
    port: printed.port,
    token: printed.token,
    dataDir,
    pid: child.pid ?? -1,
  };
}

/** SIGTERM (the server cancels its jobs and closes the catalogue), SIGKILL after `ms`. */
export async function stopServer(info: ServerInfo, ms = 10_000): Promise<void> {
  if (info.pid <= 0) return;
  try {
    process.kill(info.pid, 'SIGTERM');
  } catch {
    return; // already gone
  }
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      process.kill(info.pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  try {
    process.kill(info.pid, 'SIGKILL');
  } catch {
    // gone in between
  }
}
