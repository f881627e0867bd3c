// Where global-setup.ts records the web-mode server it started, for the tests and for global-teardown.ts.
import { readFileSync } from 'node:fs';
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

export const SERVER_INFO_FILE = fileURLToPath(new URL('../.tmp/e2e-server.json', import.meta.url));
export const SCREENSHOT_DIR = fileURLToPath(new URL('../.tmp/screenshots/', import.meta.url));

export function serverInfo(): ServerInfo {
  return JSON.parse(readFileSync(SERVER_INFO_FILE, 'utf8')) as ServerInfo;
}
