// The pretrain job end to end through the service calls, on real volumes (Colin27 and its skull-stripped twin from
// mricron-data, imported as NIfTI), with a tiny network (ResNet-10 widths 8-16, heads 32 -> 8, 16^3 crops at 4 mm):
// - a run on a cohort trains in a process of its own (started with the training allocator settings), records its configuration, the cohort (members, fingerprint),
//   the data fingerprint, provider and hardware, every
//   step's metrics (learning rate and tau on their schedules), keeps its last K checkpoints, and loadRunWeights
//   gives MONAI-keyed encoder weights and the heads;
// - pause holds between steps after a checkpoint (the run shows 'paused'), resume goes on to the end;
// - a cancelled run resumed with pretrain:resume takes exactly the steps of an uninterrupted run with the same
//   seed: every step's loss equal, bit for bit; so does a run whose trainer process was killed (SIGKILL, as the
//   system's OOM killer does), which fails with a message naming the signal while the service goes on;
// - configurations that cannot fit and providers that do not work are refused before any run is recorded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { harness, tmpDir, type Harness } from '../import/helpers.js';
import { learningRateAt, tauAt } from '../../../../../app/services/pretrain/index.js';
import { listCheckpoints, checkpointDir, loadRunWeights } from '../../../../../app/services/runs/index.js';
import type { JobProgress } from '../../../../../app/contract/types.js';
import type { PretrainOptions, RunMetric } from '../../../../../app/contract/types/runs.js';
import { findProcesses } from '../../../../support/processes.js';

const TEMPLATES = '/usr/share/mricron/templates';
let root: string;
let h: Harness;
let series: number[];

/** A network small enough for a step in well under a second on 2 cores, still BN per view (batch 4). */
export const TINY: PretrainOptions = {
  arch: 'resnet10', widths: [8, 8, 16, 16], heads: { projHidden: 32, projOut: 8, predHidden: 32 },
  input: 16, spacing: 4, batch: 4, norm: 'batch', optimizer: 'adamw', lr: 1e-3, threads: 1, loaderWorkers: 1, seed: 3,
};

beforeAll(async () => {
  root = tmpDir('pretrain-job');
  const src = path.join(root, 'src');
  fs.mkdirSync(src, { recursive: true });
  for (const f of ['ch2.nii.gz', 'ch2bet.nii.gz']) fs.copyFileSync(path.join(TEMPLATES, f), path.join(src, f));
  h = harness(path.join(root, 'data'));
  await h.importPaths([src], false);
  series = (h.services.db.prepare('SELECT id FROM series ORDER BY id').all() as { id: number }[]).map((r) => r.id);
  await h.api.call('cohort:create', { name: 'colin pair', seriesIds: series });
}, 120_000);

afterAll(async () => {
  await h?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

const metrics = async (run: number): Promise<RunMetric[]> => (await h.api.call('runs:metrics', { run, maxPoints: 100000 })).metrics;

async function until(cond: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('pretrain job', () => {
  it('trains, records the run and its metrics, keeps the last checkpoints, and gives MONAI-keyed weights', async () => {
    const events: JobProgress<'pretrain'>[] = [];
    const off = h.api.on('job-progress', (p) => p.kind === 'pretrain' && events.push(p));
    const { job, run } = await h.api.call('pretrain:start', { cohort: 'colin pair', options: { ...TINY, steps: 8, checkpointEvery: 3, keepCheckpoints: 2 }, name: 'tiny' });
    const snap = await h.services.jobs.wait(job);
    off();
    expect(snap.state, snap.error?.message).toBe('done');
    expect(snap.result).toMatchObject({ run, state: 'done', step: 8, checkpoint: { step: 8 }, startStep: 0 });

    const r = await h.api.call('runs:get', { run });
    expect(r).toMatchObject({ name: 'tiny', state: 'done', step: 8, totalSteps: 8, provider: 'cpu', job, checkpoint: { step: 8, file: 'step-000000008.safetensors' } });
    expect(r.config).toMatchObject({ arch: 'resnet10', batch: 4, input: [16, 16, 16], steps: 8, seed: 3, optimizer: { type: 'adamw' } });
    expect(r.config.resnet.widths).toEqual([8, 8, 16, 16]);
    expect(r.config.preprocess.spacing).toEqual([4, 4, 4]);
    expect(r.cohort).toMatchObject({ name: 'colin pair', members: 2, fingerprint: expect.stringMatching(/^[0-9a-f]{16,}$/) });
    expect(r.data!.seriesIds).toEqual(series);
    expect(r.data!.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(r.hardware.cpu.length).toBeGreaterThan(3);
    expect(r.endedAt).not.toBeNull();

    const m = await metrics(run);
    expect(m.map((x) => x.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(m.every((x) => Number.isFinite(x.loss) && x.loss > 0 && x.loss < 8)).toBe(true);
    expect(new Set(m.map((x) => x.loss)).size).toBe(8);
    m.forEach((x, k) => {
      expect(x.lr).toBeCloseTo(learningRateAt(k, 8, 1e-3, r.config.warmupSteps), 12);
      expect(x.tau).toBeCloseTo(tauAt(k, 8, 0.99), 12);
      expect(x.collapseStd).toBeGreaterThan(0.01); // healthy is about 1/sqrt(8)
      expect(x.rssMb).toBeGreaterThan(50);
    });
    expect(r.lastLoss).toBe(m[7].loss);
    // progress events carried the steps, losses and the provider
    const train = events.filter((e) => e.step === 'train' && e.detail.loss !== null);
    expect(train.length).toBeGreaterThan(0);
    expect(train.at(-1)!.detail).toMatchObject({ run, provider: 'cpu', totalSteps: 8 });

    expect(listCheckpoints(checkpointDir(h.dataDir, run)).map((c) => c.step)).toEqual([6, 8]);
    const w = await loadRunWeights(h.dataDir, r);
    expect(w.step).toBe(8);
    expect(w.encoder['conv1.weight'].dims).toEqual([8, 1, 7, 7, 7]);
    expect(w.encoder['layer4.0.downsample.0.weight'].dims).toEqual([16, 16, 1, 1, 1]);
    expect(w.encoder['bn1.num_batches_tracked'].data[0]).toBe(16n); // 8 steps x 2 views
    expect(Object.keys(w.encoder).some((k) => k.includes('.') && k.startsWith('online'))).toBe(false);
    expect(Object.keys(w.projector).sort()).toEqual(['0.bias', '0.weight', '1.bias', '1.num_batches_tracked', '1.running_mean', '1.running_var', '1.weight', '3.bias', '3.weight']);
    expect(w.predictor['0.weight'].dims).toEqual([32, 8]);
    const t = await loadRunWeights(h.dataDir, r, { which: 'target', step: 6 });
    expect(t.step).toBe(6);
    expect(t.predictor).toEqual({});
    expect(Array.from(t.encoder['conv1.weight'].data as Float32Array)).not.toEqual(Array.from(w.encoder['conv1.weight'].data as Float32Array));
  }, 120_000);

  it('pauses between steps after a checkpoint, then resumes to the end', async () => {
    // The pause is asked for from the progress event of step 2 (the run's row is written at most twice a second,
    // too late on a fast machine); the request reaches the worker thread at once, well before step 40.
    const steps = 40;
    let job = '';
    let asked = false;
    const off = h.api.on('job-progress', (p) => {
      if (p.job !== job || asked || p.kind !== 'pretrain' || p.step !== 'train' || p.detail.step < 2) return;
      asked = true;
      void h.api.call('jobs:pause', { job });
    });
    const started = await h.api.call('pretrain:start', { series, options: { ...TINY, steps, checkpointEvery: 100 } });
    job = started.job;
    const run = started.run;
    await until(() => ['paused', 'done', 'failed'].includes(h.services.jobs.get(job).state));
    off();
    expect(h.services.jobs.get(job).state).toBe('paused');
    const paused = await h.api.call('runs:get', { run });
    expect(paused.state).toBe('paused');
    expect(paused.step).toBeGreaterThanOrEqual(2);
    expect(paused.step).toBeLessThan(steps);
    expect(paused.checkpoint?.step).toBe(paused.step); // a checkpoint at the pause
    await new Promise((r) => setTimeout(r, 800));
    expect((await h.api.call('runs:get', { run })).step).toBe(paused.step); // held
    await h.api.call('jobs:resume', { job });
    const snap = await h.services.jobs.wait(job);
    expect(snap.state).toBe('done');
    expect((await metrics(run)).map((x) => x.step)).toEqual(Array.from({ length: steps }, (_, i) => i + 1));
  }, 120_000);

  it('a cancelled run resumed from its checkpoint takes the same steps as an uninterrupted one, bit for bit', async () => {
    const options = { ...TINY, steps: 24, checkpointEvery: 2, seed: 11 };
    const a = await h.api.call('pretrain:start', { series, options });
    expect((await h.services.jobs.wait(a.job)).state).toBe('done');
    const reference = await metrics(a.run);

    // Cancelled from the progress event of step 5 (the run's row is written at most twice a second).
    let job = '';
    const off = h.api.on('job-progress', (p) => {
      if (p.job === job && p.kind === 'pretrain' && p.step === 'train' && p.detail.step >= 5) void h.api.call('jobs:cancel', { job });
    });
    const b = await h.api.call('pretrain:start', { series, options });
    job = b.job;
    expect((await h.services.jobs.wait(b.job)).state).toBe('cancelled');
    off();
    const stopped = await h.api.call('runs:get', { run: b.run });
    expect(stopped.state).toBe('cancelled');
    expect(stopped.step).toBeLessThan(24);
    const ck = stopped.checkpoint!.step;
    expect(ck).toBeGreaterThanOrEqual(4);

    const again = await h.api.call('pretrain:resume', { run: b.run });
    const done = await h.services.jobs.wait(again.job);
    expect(done.state, done.error?.message).toBe('done');
    expect(done.result).toMatchObject({ startStep: ck });
    const resumed = await metrics(b.run);
    expect(resumed.map((x) => x.step)).toEqual(reference.map((x) => x.step));
    expect(resumed.map((x) => x.loss)).toStrictEqual(reference.map((x) => x.loss));
    expect((await h.api.call('runs:get', { run: b.run })).state).toBe('done');
    await expect(h.api.call('pretrain:resume', { run: b.run })).rejects.toThrow(/is done/);
  }, 180_000);

  it('a trainer process killed mid-run fails its run with the signal named; the run resumes to the same losses', async () => {
    const options = { ...TINY, steps: 16, checkpointEvery: 2, seed: 13 };
    const a = await h.api.call('pretrain:start', { series, options });
    const ra = await h.services.jobs.wait(a.job);
    expect(ra.state).toBe('done');
    expect((ra.result as { trainerPeakRssMb: number }).trainerPeakRssMb).toBeGreaterThan(50);
    const reference = await metrics(a.run);

    const b = await h.api.call('pretrain:start', { series, options });
    await until(async () => (await h.api.call('runs:get', { run: b.run })).step >= 5);
    // the trainer: a child of this (the service's) process, with the allocator settings in its environment
    const trainers = findProcesses('trainer-process.ts').filter((p) => p.ppid === process.pid);
    expect(trainers).toHaveLength(1);
    expect(trainers[0].env).toMatchObject({ MALLOC_MMAP_THRESHOLD_: String(1 << 20), GLIBC_TUNABLES: expect.stringContaining('glibc.malloc.hugetlb=1') });
    process.kill(trainers[0].pid, 'SIGKILL');
    const failed = await h.services.jobs.wait(b.job);
    expect(failed.state).toBe('failed');
    expect(failed.error?.message).toMatch(new RegExp(`trainer of run ${b.run} was killed by SIGKILL .*resume the run`));
    const row = await h.api.call('runs:get', { run: b.run });
    expect(row.state).toBe('failed');
    expect(row.step).toBeGreaterThanOrEqual(5);
    expect(row.step).toBeLessThan(16);

    const again = await h.api.call('pretrain:resume', { run: b.run });
    const done = await h.services.jobs.wait(again.job);
    expect(done.state, done.error?.message).toBe('done');
    expect((done.result as { startStep: number }).startStep).toBeGreaterThanOrEqual(4);
    const resumed = await metrics(b.run);
    expect(resumed.map((x) => x.step)).toEqual(reference.map((x) => x.step));
    expect(resumed.map((x) => x.loss)).toStrictEqual(reference.map((x) => x.loss));
  }, 180_000);

  it('refuses what cannot fit or cannot run, before recording a run', async () => {
    const before = (await h.api.call('runs:list', {})).length;
    await expect(h.api.call('pretrain:start', { series, options: { arch: 'resnet50', input: 256, batch: 64, steps: 10 } })).rejects.toMatchObject({
      name: 'MemoryBudgetError',
      message: expect.stringMatching(/resnet50 at 256x256x256 voxels, batch 64, needs about \d+ MB .* available: lower the batch/),
    });
    await expect(h.api.call('pretrain:start', { series, options: TINY, provider: 'tpu' })).rejects.toMatchObject({ name: 'ProviderError' });
    await expect(h.api.call('pretrain:resume', { run: 9999 })).rejects.toMatchObject({ name: 'NotFoundError', message: expect.stringContaining('9999') });
    expect((await h.api.call('runs:list', {})).length).toBe(before);
    const plan = await h.api.call('pretrain:plan', { series, options: {} });
    expect(plan.estimate.fits).toBe(true);
    expect(plan.provider).toBe('cpu');
    expect(plan.notes.length).toBeGreaterThan(0);
    // a forced provider is planned for, or refused when it does not work here (the CLI's --provider, the screen's
    // provider menu)
    expect((await h.api.call('pretrain:plan', { series, options: {}, provider: 'cpu' })).provider).toBe('cpu');
    await expect(h.api.call('pretrain:plan', { series, options: {}, provider: 'tpu' })).rejects.toMatchObject({ name: 'ProviderError', message: expect.stringContaining("'tpu' is unknown") });
  }, 60_000);
});
