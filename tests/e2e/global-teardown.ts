// Stops the web-mode server global-setup.ts started (SIGTERM: it cancels jobs and closes the catalogue)
// and removes its temporary data folder.
import { rmSync } from 'node:fs';
import { stopServer } from './server-process.js';
import { SERVER_INFO_ENV, serverInfo } from './server-info.js';

export default async function globalTeardown(): Promise<void> {
  if (!process.env[SERVER_INFO_ENV]) return;
  const info = serverInfo();
  await stopServer(info);
  rmSync(info.dataDir, { recursive: true, force: true });
  delete process.env[SERVER_INFO_ENV];
}
