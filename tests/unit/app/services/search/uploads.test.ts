// Query-file uploads kept in the data folder (app/services/search/uploads.ts): the bytes land whole under
// uploads/<id>/<name>; a body over the limit (declared or streamed) or an empty one is refused and leaves nothing;
// names lose their path and control characters; ids are checked before any path is built; old and surplus uploads
// and uploads abandoned mid-way are pruned.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pruneUploads, receiveUpload, safeUploadName, uploadFile, uploadsDir } from '../../../../../app/services/search/uploads.js';
import { UploadError } from '../../../../../app/contract/errors.js';

let dataDir: string;
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-uploads-'));
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

async function* chunks(...parts: (string | Uint8Array)[]): AsyncIterable<Uint8Array> {
  for (const p of parts) yield typeof p === 'string' ? new TextEncoder().encode(p) : p;
}

const left = () => (fs.existsSync(uploadsDir(dataDir)) ? fs.readdirSync(uploadsDir(dataDir)) : []);

describe('receiveUpload', () => {
  it('keeps the streamed bytes whole under uploads/<id>/<name>, found again by id', async () => {
    const big = new Uint8Array(300_000).map((_, i) => (i * 7) & 255);
    const rec = await receiveUpload(dataDir, 'brain.nii.gz', chunks(big, 'tail'));
    expect(rec.name).toBe('brain.nii.gz');
    expect(rec.bytes).toBe(300_004);
    expect(rec.upload).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const f = uploadFile(dataDir, rec.upload);
    expect(f.name).toBe('brain.nii.gz');
    const back = fs.readFileSync(f.path);
    expect(Buffer.compare(back.subarray(0, big.length), Buffer.from(big))).toBe(0);
    expect(back.subarray(big.length).toString()).toBe('tail');
    expect(left()).toEqual([rec.upload]);
    expect(fs.readdirSync(path.join(uploadsDir(dataDir), rec.upload))).toEqual(['brain.nii.gz']); // no temporary file left
  });

  it('refuses a declared size over the limit before reading, and a streamed one past it, keeping nothing', async () => {
    await expect(receiveUpload(dataDir, 'a.nii', chunks('x'), { maxBytes: 10, declaredBytes: 11 })).rejects.toMatchObject({ reason: 'too-large' });
    const err = await receiveUpload(dataDir, 'b.nii', chunks('123456', '789012'), { maxBytes: 10 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UploadError);
    expect((err as UploadError).reason).toBe('too-large');
    expect((err as Error).message).toMatch(/b\.nii: over the upload limit of 10 bytes/);
    expect(left()).toEqual([]);
  });

  it('refuses an empty body and a missing name', async () => {
    await expect(receiveUpload(dataDir, 'e.nii', chunks())).rejects.toThrow(/e\.nii: the upload is empty/);
    await expect(receiveUpload(dataDir, '', chunks('x'))).rejects.toMatchObject({ reason: 'bad-request' });
    expect(left()).toEqual([]);
  });

  it('a body that fails mid-way (a cut connection) leaves nothing', async () => {
    async function* broken(): AsyncIterable<Uint8Array> {
      yield new Uint8Array(1000);
      throw new Error('socket hang up');
    }
    await expect(receiveUpload(dataDir, 'c.nii', broken())).rejects.toThrow(/socket hang up/);
    expect(left()).toEqual([]);
  });
});

describe('names and ids', () => {
  it('keeps only the last path segment, without control or reserved characters', () => {
    expect(safeUploadName('../../etc/passwd')).toBe('passwd');
    expect(safeUploadName('C:\\scans\\ct.zip')).toBe('ct.zip');
    expect(safeUploadName('a\u0000b<c>.nii')).toBe('a_b_c_.nii');
    expect(() => safeUploadName('dir/..')).toThrow(UploadError);
    expect(() => safeUploadName('x/')).toThrow(/needs a file name/);
  });

  it('refuses ids that are not ids (no path is built from them) and says when an upload is gone', () => {
    expect(() => uploadFile(dataDir, '../../etc')).toThrow(/is not an upload id/);
    expect(() => uploadFile(dataDir, 'A'.repeat(22))).toThrow(/no longer kept/);
  });
});

describe('pruneUploads', () => {
  it('removes uploads past their age or beyond the newest `keep`, and those left unfinished for an hour', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await receiveUpload(dataDir, `f${i}.nii`, chunks('data'))).upload);
    const dir = uploadsDir(dataDir);
    const now = Date.now();
    // Ages: ids[0] two days, the others 3, 2 and 1 minutes.
    const ages = [48 * 3600_000, 180_000, 120_000, 60_000];
    ids.forEach((id, i) => fs.utimesSync(path.join(dir, id), (now - ages[i]) / 1000, (now - ages[i]) / 1000));
    // Two uploads that never finished (only their temporary file): one for two hours, one live.
    const dead = 'D'.repeat(22);
    const live = 'L'.repeat(22);
    for (const id of [dead, live]) {
      fs.mkdirSync(path.join(dir, id));
      fs.writeFileSync(path.join(dir, id, 'scan.nii.abcd.0.1.tmp'), 'partial');
    }
    fs.utimesSync(path.join(dir, dead), (now - 2 * 3600_000) / 1000, (now - 2 * 3600_000) / 1000);
    expect(() => uploadFile(dataDir, live)).toThrow(/no longer kept/);
    // By age (a day; an hour unfinished) only:
    expect(pruneUploads(dataDir, { keep: 10 }, now)).toBe(2);
    expect(left().sort()).toEqual([ids[1], ids[2], ids[3], live].sort());
    // By count: the newest two stay.
    expect(pruneUploads(dataDir, { keep: 2 }, now)).toBe(2);
    expect(left().sort()).toEqual([ids[3], live].sort());
    expect(() => uploadFile(dataDir, ids[0])).toThrow(/no longer kept/);
    expect(uploadFile(dataDir, ids[3]).name).toBe('f3.nii');
  });
});
