// The 'export' job end to end through the contract (a RunSource over in-memory runs stands in for the runs module):
// export:start validates and returns at once, the job writes in a worker and reports every step, its result is the
// ExportRecord; the data folder's exports are listed, fetched and deleted by id; `into` names the folder after the
// run; an occupied `out` and an unknown run are the call's errors; a cancelled job leaves no folder; and the web
// server's GET /api/download/export/<id> streams the export as a zip (checked by Python's zipfile) to a client with
// the token only.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../../../app/services/index.js';
import { exportHandlers } from '../../../../../app/services/export/index.js';
import { createDirectApi } from '../../../../../app/transports/direct.js';
import { startWebServer, type WebServer } from '../../../../../app/transports/http/server.js';
import type { Api } from '../../../../../app/contract/api.js';
import type { ExportRecord, JobProgress } from '../../../../../app/contract/types.js';
import { fakeRun, fakeRuns } from './support/fake-runs.js';

let root: string;
let services: Services;
let api: Api;
let web: WebServer;
let runs: Awaited<ReturnType<typeof fakeRuns>>;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-export-job-'));
  services = createServices({ dataDir: path.join(root, 'data'), startBackgroundWork: false });
  runs = fakeRuns([await fakeRun(1, { depth: 10, name: 'brain MR / BYOL #1', trained: false }), await fakeRun(2, { depth: 10, over: { norm: { kind: 'group', groups: 4 } }, trained: false })]);
  const handlers = { ...services.handlers, ...exportHandlers(services.context, runs) };
  api = createDirectApi({ handlers, events: services.events });
  web = await startWebServer({ services: { handlers, events: services.events }, staticDir: path.join(root, 'no-renderer') });
}, 120_000);
afterAll(async () => {
  await web?.close();
  await services?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

async function finish(job: string): Promise<{ record?: ExportRecord; state: string; error?: { name: string; message: string }; steps: string[] }> {
  const steps: string[] = [];
  const off = api.on('job-progress', (p: JobProgress) => {
    if (p.job === job && !steps.includes(p.step)) steps.push(p.step);
  });
  const snap = await services.jobs.wait(job);
  off();
  return { record: snap.kind === 'export' ? snap.result : undefined, state: snap.state, error: snap.error, steps };
}

const sha = (f: string) => createHash('sha256').update(fs.readFileSync(f)).digest('hex');

function get(p: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: web.port, path: p, headers: { Host: `127.0.0.1:${web.port}`, ...headers }, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

describe('export job', () => {
  let kept: ExportRecord;

  it('exports into the data folder in a worker; the record lists the files', async () => {
    const { job, run } = await api.call('export:start', { run: 1 });
    expect(run).toBe(1);
    const r = await finish(job);
    expect(r.state).toBe('done');
    // Progress events are throttled (10/s), so a quick step may pass unseen; those seen come in order.
    const order = ['load', 'check', 'safetensors', 'onnx', 'verify', 'card', 'finish'];
    expect(r.steps[0]).toBe('load');
    expect(r.steps.at(-1)).toBe('finish');
    expect(r.steps.map((s) => order.indexOf(s))).toEqual([...r.steps.map((s) => order.indexOf(s))].sort((x, y) => x - y));
    kept = r.record!;
    expect(kept.id).toMatch(/^run-1-step-2-\d{8}T\d{6}Z$/);
    expect(kept.dir).toBe(path.join(services.dataDir, 'exports', kept.id!));
    expect(kept.formats).toEqual(['onnx', 'safetensors', 'card']);
    expect(kept.files.map((f) => f.name)).toEqual(['encoder.onnx', 'encoder.safetensors', 'heads.safetensors', 'model-card.json', 'model-card.md']);
    expect(kept.card!.run.checkpoint.file).toBe('step-000002.safetensors'); // a name, not the checkpoint's path
    expect(kept.card!.input.spacingMm).toEqual([3, 2, 2]); // D, H, W = z, y, x of the RAS spacing [2, 2, 3]
    expect(kept.card!.training).toMatchObject({ method: 'BYOL', lr: 0.05, batch: 2, seed: 3, optimizer: { type: 'adamw' } });
    expect(JSON.stringify(kept.card)).not.toMatch(/DOE|secret|cohortFilter|\/data\/runs/);
    expect(await api.call('export:get', { id: kept.id! })).toEqual({ ...kept, card: JSON.parse(JSON.stringify(kept.card)) });
    expect((await api.call('export:list', {})).map((e) => e.id)).toEqual([kept.id]);
  }, 120_000);

  it('serves the export as a zip to a client with the token, and only then', async () => {
    const url = `/api/download/export/${kept.id}`;
    expect((await get(url)).status).toBe(401);
    const res = await get(url, { Authorization: `Bearer ${web.token}` });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toContain(`filename="${kept.id}.zip"`);
    const zip = path.join(root, 'download.zip');
    fs.writeFileSync(zip, res.body);
    const listed = JSON.parse(execFileSync('/usr/bin/python3', ['-c', `
import sys, zipfile, json, hashlib
z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None
print(json.dumps({i.filename: hashlib.sha256(z.read(i)).hexdigest() for i in z.infolist()}))`, zip], { encoding: 'utf8' })) as Record<string, string>;
    expect(listed).toEqual(Object.fromEntries(kept.files.map((f) => [`${kept.name}/${f.name}`, sha(f.path)])));
    const bad = await get('/api/download/export/..%2F..%2Fetc', { Authorization: `Bearer ${web.token}` });
    expect(bad.status).toBe(400);
    const missing = await get('/api/download/export/run-9-step-1-20250101T000000Z', { Authorization: `Bearer ${web.token}` });
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body.toString()).error.name).toBe('NotFoundError');
  }, 60_000);

  it('exports into a chosen parent folder under the run\'s name, and refuses an occupied folder at once', async () => {
    const parent = path.join(root, 'chosen');
    fs.mkdirSync(parent);
    const a = await finish((await api.call('export:start', { run: 1, into: parent, formats: ['onnx'] })).job);
    const b = await finish((await api.call('export:start', { run: 1, into: parent, formats: ['onnx'] })).job);
    expect([a.record!.name, b.record!.name]).toEqual(['brain-MR-BYOL-1-step-2', 'brain-MR-BYOL-1-step-2-2']);
    expect(a.record!.id).toBeNull();
    expect(fs.readdirSync(parent).sort()).toEqual(['brain-MR-BYOL-1-step-2', 'brain-MR-BYOL-1-step-2-2']);
    await expect(api.call('export:start', { run: 1, out: a.record!.dir })).rejects.toMatchObject({ name: 'ExportError', message: expect.stringMatching(/already exists and is not empty/) });
    await expect(api.call('export:start', { run: 1, out: path.join(root, 'x'), into: parent })).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(api.call('export:start', { run: 99, out: path.join(root, 'x') })).rejects.toMatchObject({ name: 'NotFoundError', message: expect.stringMatching(/run 99/) });
  }, 120_000);

  it('fails a GroupNorm run\'s safetensors export as the job\'s error, writing nothing', async () => {
    const out = path.join(root, 'gn');
    const r = await finish((await api.call('export:start', { run: 2, out })).job);
    expect(r.state).toBe('failed');
    expect(r.error).toMatchObject({ name: 'ExportError', message: expect.stringMatching(/MONAI safetensors/) });
    expect(fs.existsSync(out)).toBe(false);
  }, 60_000);

  it('a cancelled export leaves no folder', async () => {
    const out = path.join(root, 'cancel-me');
    const { job } = await api.call('export:start', { run: 1, out });
    await api.call('jobs:cancel', { job });
    const r = await finish(job);
    expect(r.state).toBe('cancelled');
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readdirSync(root).filter((n) => n.includes('cancel-me'))).toEqual([]);
  }, 60_000);

  it('deletes an export of the data folder', async () => {
    expect(await api.call('export:delete', { id: kept.id! })).toEqual({ deleted: kept.id });
    expect(fs.existsSync(kept.dir)).toBe(false);
    await expect(api.call('export:get', { id: kept.id! })).rejects.toMatchObject({ name: 'NotFoundError' });
    await expect(api.call('export:get', { id: '../../x' })).rejects.toMatchObject({ name: 'ValidationError' });
  });
});
