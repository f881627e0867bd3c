// Stops the web-mode server global-setup.ts started (SIGTERM: it cancels jobs and closes the catalogue)
// and removes its temporary data folder.
import { rmSync } from 'node:fs';
import { SERVER_INFO_ENV, serverInfo } from './server-info.js';

export default async function globalTeardown(): Promise<void> {
  if (!process.env[SERVER_INFO_ENV]) return;
  const info = serverInfo();
  if (info.pid > 0) {
    try {
      process.kill(info.pid, 'SIGTERM');
      await waitForExit(info.pid, 10_000);
    } catch {
      // already gone
    }
  }
  rmSync(info.dataDir, { recursive: true, force: true });
  delete process.env[SERVER_INFO_ENV];
}

async function waitForExit(pid: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  process.kill(pid, 'SIGKILL');
}
