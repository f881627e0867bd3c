// The batch loader on real preprocessed volumes (Colin27 at 4 mm, and its mirror image as a second series):
// batch k depends only on (seed, k), whatever the worker count (0 = in this thread) and however far ahead
// the queue runs; a run resumed from a batch's `position` continues with the same batches; the loader works
// inside a worker thread (the trainer's case); bad options and bad cache files are refused by name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { spawnSync } from 'node:child_process';
import { createLoader, type Batch } from '../../../../../app/services/loader/index.js';
import type { PreprocessedEntry } from '../../../../../app/contract/types/data.js';
import { colinEntries } from './colin-entry.js';

let dir: string;
let entries: PreprocessedEntry[];
const box: [number, number, number] = [24, 20, 16];

beforeAll(async () => {
  dir = path.resolve('tests/.tmp', `loader-${process.pid}`);
  entries = await colinEntries(dir, [11, 12, 13]);
}, 60_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const digest = (b: Batch) => createHash('sha256').update(new Uint8Array(b.view1.buffer)).update(new Uint8Array(b.view2.buffer)).digest('hex').slice(0, 16);

async function batches(opts: { workers: number; position?: number; queueDepth?: number; seed?: number }, n: number): Promise<Batch[]> {
  const loader = createLoader({ entries, batch: 4, box, seed: opts.seed ?? 5, workers: opts.workers, position: opts.position, queueDepth: opts.queueDepth });
  try {
    const out: Batch[] = [];
    for (let i = 0; i < n; i++) out.push(await loader.next());
    return out;
  } finally {
    await loader.close();
  }
}

describe('createLoader', () => {
  it('batch k depends only on (seed, k): same with 0, 1 and 3 workers and any queue depth', async () => {
    const a = await batches({ workers: 0 }, 4);
    const b = await batches({ workers: 1, queueDepth: 1 }, 4);
    const c = await batches({ workers: 3, queueDepth: 6 }, 4);
    expect(a.map(digest)).toEqual(b.map(digest));
    expect(a.map(digest)).toEqual(c.map(digest));
    expect(a.map((x) => x.index)).toEqual([0, 1, 2, 3]);
    expect(a.map((x) => x.position)).toEqual([1, 2, 3, 4]);
    expect(a[0].dims).toEqual([4, 1, 24, 20, 16]);
    expect(a[0].view1).toHaveLength(4 * 24 * 20 * 16);
    // different batches, different views, every value finite, real content (not a constant)
    expect(new Set(a.map(digest)).size).toBe(4);
    for (const x of a) {
      expect(x.view1.every(Number.isFinite)).toBe(true);
      expect(x.view2.every(Number.isFinite)).toBe(true);
      expect(x.view1).not.toEqual(x.view2);
      expect(Math.max(...x.view1) - Math.min(...x.view1)).toBeGreaterThan(0.5);
    }
    // a different seed gives different batches
    expect(digest((await batches({ workers: 0, seed: 6 }, 1))[0])).not.toBe(digest(a[0]));
  });

  it('each epoch visits every series once, in a seeded order', async () => {
    const a = await batches({ workers: 0 }, 3); // 12 samples = 4 epochs of 3 series
    const ids = a.flatMap((b) => b.seriesIds);
    for (let e = 0; e < 4; e++) expect([...ids.slice(3 * e, 3 * e + 3)].sort()).toEqual([11, 12, 13]);
    expect(new Set([0, 1, 2, 3].map((e) => ids.slice(3 * e, 3 * e + 3).join()))).not.toHaveProperty('size', 1);
  });

  it('resumes exactly from a position', async () => {
    const all = await batches({ workers: 2 }, 5);
    const resumed = await batches({ workers: 2, position: all[2].position }, 2);
    expect(resumed.map((b) => b.index)).toEqual([3, 4]);
    expect(resumed.map(digest)).toEqual(all.slice(3).map(digest));
  });

  it('works from inside a worker thread (nested loader workers)', async () => {
    const code = `
      import('tsx/esm/api').then(async (tsx) => {
        tsx.register();
        const { workerData, parentPort } = await import('node:worker_threads');
        const { createLoader } = await import(${JSON.stringify(path.resolve('app/services/loader/index.ts'))});
        const loader = createLoader({ ...workerData, workers: 2 });
        const b = await loader.next();
        await loader.close();
        parentPort.postMessage({ view1: b.view1, view2: b.view2, index: b.index });
      });`;
    const w = new Worker(code, { eval: true, workerData: { entries, batch: 4, box, seed: 5 } });
    const got = await new Promise<{ view1: Float32Array; view2: Float32Array; index: number }>((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
    });
    await w.terminate();
    const [first] = await batches({ workers: 0 }, 1);
    expect(got.index).toBe(0);
    expect(digest({ ...first, view1: got.view1, view2: got.view2 })).toBe(digest(first));
  });

  it('closes after an onnxruntime step fed by its batch, in a process with nothing else to do', () => {
    const file = path.join(dir, 'entries.json');
    fs.writeFileSync(file, JSON.stringify(entries));
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.resolve('tests/unit/app/services/loader/close-after-step.ts'), file], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('closed');
  });

  it('refuses an empty entry list, bad options and cache files that are gone or truncated', async () => {
    expect(() => createLoader({ entries: [], batch: 4, box, seed: 1 })).toThrow(/cohort is empty/);
    expect(() => createLoader({ entries, batch: 0, box, seed: 1 })).toThrow(/batch size 0/);
    expect(() => createLoader({ entries, batch: 2, box: [0, 8, 8], seed: 1 })).toThrow(/input box/);
    const cut = path.join(dir, 'cut.vxp');
    fs.copyFileSync(entries[0].file, cut);
    fs.truncateSync(cut, fs.statSync(cut).size - 100);
    const bad = { ...entries[0], seriesId: 99, file: cut };
    expect(() => createLoader({ entries: [bad], batch: 2, box, seed: 1 })).toThrow(/series 99: cache file .*cut\.vxp has \d+ bytes/);
    expect(() => createLoader({ entries: [{ ...bad, file: path.join(dir, 'nope.vxp') }], batch: 2, box, seed: 1 })).toThrow(/series 99: its cache file .* is gone/);
    const loader = createLoader({ entries, batch: 2, box, seed: 1, workers: 0 });
    await loader.close();
    await expect(loader.next()).rejects.toThrow(/closed/);
  });
});
