import { describe, expect, it } from 'vitest';
import { resolveWorkerEntry, runWorkerOnce, spawnWorker } from '../../../../app/platform/workers.js';

describe('workers', () => {
  it('resolves a .js entry to the .ts source when running from sources', () => {
    expect(resolveWorkerEntry(import.meta.url, './fixtures/echo-worker.js')).toMatch(/fixtures[/\\]echo-worker\.ts$/);
  });
  it('throws naming the path when the entry does not exist', () => {
    expect(() => resolveWorkerEntry(import.meta.url, './fixtures/nope.js')).toThrow(/nope\.js/);
  });
  it('runs a TypeScript worker (through the tsx register API) and gets its reply', async () => {
    const r = await runWorkerOnce<{ doubled: number; file: string }>(import.meta.url, './fixtures/echo-worker.js', {
      workerData: { n: 21 },
    });
    expect(r.doubled).toBe(42);
    expect(r.file).toMatch(/echo-worker\.ts$/);
  });
  it('rejects with the error of a worker that throws', async () => {
    await expect(runWorkerOnce(import.meta.url, './fixtures/failing-worker.js')).rejects.toThrow(/deliberate failure/);
  });
  it('passes options through to a long-lived worker', async () => {
    const w = spawnWorker(import.meta.url, './fixtures/echo-worker.js', { workerData: { n: 5 } });
    const msg = await new Promise((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
    });
    await w.terminate();
    expect(msg).toMatchObject({ doubled: 10 });
  });
});
