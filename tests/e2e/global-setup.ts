// Starts the real web mode for the end-to-end tests (server-process.ts: `voxelbase serve` on a fresh
// temporary data folder) and hands it on in SERVER_INFO_ENV.
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './server-process.js';
import { SERVER_INFO_ENV } from './server-info.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

export default async function globalSetup(): Promise<void> {
  const renderer = path.join(root, 'dist', 'renderer', 'index.html');
  if (!existsSync(renderer)) {
    throw new Error(`end-to-end tests need the built renderer (${renderer} is missing): run \`npm run build\` first`);
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'voxelbase-e2e-'));
  process.env[SERVER_INFO_ENV] = JSON.stringify(await startServer(dataDir));
}
