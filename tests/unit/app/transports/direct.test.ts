import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServices, type Services } from '../../../../app/services/index.js';
import { createDirectApi } from '../../../../app/transports/direct.js';
import type { Api, CallName } from '../../../../app/contract/api.js';
import type { JobProgress } from '../../../../app/contract/types.js';
import { startDemoJob } from '../../../support/demo-job.js';

let services: Services;
let api: Api;
beforeAll(() => {
  services = createServices({ dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'vb-direct-')) });
  api = createDirectApi(services);
});
afterAll(() => services.close());

async function rejection(p: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await p;
  } catch (err) {
    return err as Error & Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}

describe('direct transport', () => {
  it('answers app:info with version, data folder, counts and a working cpu provider', async () => {
    const info = await api.call('app:info', {});
    expect(info.version).toBe(JSON.parse(fs.readFileSync('package.json', 'utf8')).version);
    expect(info.dataDir).toBe(services.dataDir);
    expect(info.catalogue).toEqual({ patients: 0, studies: 0, series: 0, files: 0 });
    expect(info.providers.find((p) => p.name === 'cpu')).toMatchObject({ works: true });
    for (const p of info.providers) if (!p.works) expect(p.detail).toBeTruthy();
  });

  it('validates arguments with the contract schema and rejects with a named ValidationError', async () => {
    const err = await rejection(api.call('jobs:get', { job: '' }));
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('ValidationError');
    expect(err.message).toMatch(/invalid arguments for jobs:get/);
    expect(Array.isArray(err.issues)).toBe(true);
    const extra = await rejection(api.call('app:info', { surprise: 1 } as never));
    expect(extra.name).toBe('ValidationError');
  });

  it('round-trips domain errors by name and refuses unknown and desktop-only calls', async () => {
    const nf = await rejection(api.call('jobs:get', { job: 'nope' }));
    expect(nf.name).toBe('NotFoundError');
    expect(nf.message).toBe('no job with id nope');
    const unknown = await rejection(api.call('nope:nothing' as CallName, {} as never));
    expect(unknown.name).toBe('UnknownCallError');
    const dialog = await rejection(api.call('dialog:openFolder', {}));
    expect(dialog.name).toBe('NotSupportedError');
  });

  it('delivers job-progress events and serves jobs:list / jobs:get / jobs:cancel', async () => {
    const seen: JobProgress[] = [];
    const off = api.on('job-progress', (p) => seen.push(p));
    const j = startDemoJob(services.jobs, async (ctx) => {
      while (!ctx.signal.aborted) await new Promise((r) => setTimeout(r, 5));
    });
    expect((await api.call('jobs:list', {})).map((s) => s.job)).toContain(j.job);
    expect((await api.call('jobs:get', { job: j.job })).state).toBe('running');
    await api.call('jobs:cancel', { job: j.job });
    const end = await services.jobs.wait(j.job);
    off();
    expect(end.state).toBe('cancelled');
    expect(seen.filter((p) => p.job === j.job).map((p) => p.state)).toEqual(expect.arrayContaining(['running', 'cancelling', 'cancelled']));
  });
});
