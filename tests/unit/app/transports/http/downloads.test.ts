// writeZip streams files into a zip that Python's zipfile (an independent reader) opens: names, bytes and CRCs
// check (testzip), weights stored, text deflated; a slow reader gets every byte (reads wait for 'drain').
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { writeZip } from '../../../../../app/transports/http/downloads.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-zip-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function files(): { name: string; path: string; data: Buffer }[] {
  const big = Buffer.alloc(3 * (1 << 20) + 123);
  for (let i = 0; i < big.length; i++) big[i] = (i * 2654435761) >>> 24;
  const out = [
    { name: 'run-1/encoder.onnx', data: big },
    { name: 'run-1/model-card.json', data: Buffer.from(JSON.stringify({ a: 'x'.repeat(5000) })) },
    { name: 'run-1/empty.md', data: Buffer.alloc(0) },
  ];
  return out.map((f, i) => {
    const p = path.join(tmp, `f${i}`);
    fs.writeFileSync(p, f.data);
    return { ...f, path: p };
  });
}

const CHECK = `
import sys, zipfile, json, hashlib
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
print(json.dumps([[i.filename, i.file_size, i.compress_type, hashlib.sha256(z.read(i)).hexdigest()] for i in z.infolist()]))
`;

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('writeZip', () => {
  it('writes a zip Python reads back byte for byte', async () => {
    const fs_ = files();
    const chunks: Buffer[] = [];
    const out = new PassThrough();
    out.on('data', (c: Buffer) => chunks.push(c));
    await writeZip(out, fs_);
    const zipFile = path.join(tmp, 'a.zip');
    fs.writeFileSync(zipFile, Buffer.concat(chunks));
    const listed = JSON.parse(execFileSync('/usr/bin/python3', ['-c', CHECK, zipFile], { encoding: 'utf8' })) as [string, number, number, string][];
    expect(listed).toEqual([
      ['run-1/encoder.onnx', fs_[0].data.length, 0, sha(fs_[0].data)],
      ['run-1/model-card.json', fs_[1].data.length, 8, sha(fs_[1].data)],
      ['run-1/empty.md', 0, 8, sha(fs_[2].data)],
    ]);
  });

  it('waits for a slow reader instead of buffering the whole archive', async () => {
    const fs_ = files();
    const got: Buffer[] = [];
    let maxPending = 0;
    const slow = new Writable({
      highWaterMark: 1 << 16,
      write(chunk: Buffer, _enc, cb) {
        got.push(chunk);
        maxPending = Math.max(maxPending, slow.writableLength);
        setTimeout(cb, 1);
      },
    });
    await writeZip(slow, fs_);
    expect(Buffer.concat(got).length).toBeGreaterThan(fs_[0].data.length);
    expect(maxPending).toBeLessThan(3 << 20); // never the whole 3 MB file queued at once
  });

  it('rejects when the connection closes mid-way', async () => {
    const fs_ = files();
    const out = new PassThrough({ highWaterMark: 1024 });
    setTimeout(() => out.destroy(), 20);
    await expect(writeZip(out, fs_)).rejects.toThrow(/closed during the download/);
  });
});
