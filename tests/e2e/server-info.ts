// How global-setup.ts hands the web-mode server it started to the tests and to global-teardown.ts: an
// environment variable (Playwright passes the runner's environment, as global setup left it, to its
// workers), so that two runs from the same checkout never see each other's server.
import { fileURLToPath } from 'node:url';

export interface ServerInfo {
  /** The URL `voxelbase serve` printed, with its token: http://127.0.0.1:PORT/?token=T */
  url: string;
  origin: string;
  port: number;
  token: string;
  dataDir: string;
  pid: number;
}

export const SERVER_INFO_ENV = 'VOXELBASE_E2E_SERVER';
export const SCREENSHOT_DIR = fileURLToPath(new URL('../.tmp/screenshots/', import.meta.url));

export function serverInfo(): ServerInfo {
  const raw = process.env[SERVER_INFO_ENV];
  if (!raw) throw new Error(`${SERVER_INFO_ENV} is not set: run through playwright.config.ts (its global setup starts the server)`);
  return JSON.parse(raw) as ServerInfo;
}
