// `npm run bench -- pipeline [--series 20] [--slices 100] [--steps 6] [--threads 2] [--workers N] [--spacing 2]`
// The training-data pipeline (DESIGN §5a, issue 8):
//   1. preprocessing throughput of a CT cohort of series x slices files (default 20 x 100 = 2,000 DICOM files):
//      series/s and source MB/s of ensurePreprocessed (the `preprocess` job's work, in its worker pool) on a
//      cold cache, and the time of a second run that finds everything cached;
//   2. the loader's batches per second at the default input (8 x 1 x 64^3 per view, two views) alone, and
//      WHILE a BYOL training step (ResNet-18 defaults, bench/_pipeline-child.ts, its own process, --threads
//      intra-op threads) runs on the same machine, over the step's own rate in the same window (target >= 1.1:
//      the step never waits for data);
//   3. the trainer's case: the step fed by the loader (same child, loader inside it), time each step waited
//      for its batch.
// Data (kept between runs under os.tmpdir()/voxelbase-bench-pipeline): a CT-like volume made from mricron-data's
// Colin27 (HU = 5 * intensity - 1000: air -1000, tissue up to +275), written by bench/make-dicom-series.py
// as `many` series of consecutive real slices with pydicom's CT_small.dcm header (modality CT).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServices } from '../app/services/index.js';
import { createDirectApi } from '../app/transports/direct.js';
import { ensurePreprocessed } from '../app/services/preprocess/index.js';
import { createLoader, defaultLoaderWorkers } from '../app/services/loader/index.js';
import type { PreprocessedEntry } from '../app/contract/types.js';
import { machineLine } from './lib/machine.js';

const COLIN = '/usr/share/mricron/templates/ch2.nii.gz';
const TEMPLATE = '/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm';
const here = path.dirname(new URL(import.meta.url).pathname);

function ensureData(base: string, series: number, slices: number): string {
  const dir = path.join(base, `ct-${series}x${slices}`);
  if (fs.existsSync(path.join(dir, '.done'))) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(base, { recursive: true });
  const ct = path.join(base, 'colin-ct.nii.gz');
  execFileSync('/usr/bin/python3', [
    '-c',
    `import nibabel as nib, numpy as np
img = nib.load('${COLIN}')
# stored = HU + 1024 (CT_small's RescaleIntercept is -1024): HU = 5 * intensity - 1000
v = (np.asarray(img.dataobj).astype(np.int16) * 5 + 24).astype(np.int16)
nib.save(nib.Nifti1Image(v, img.affine), '${ct}')`,
  ]);
  execFileSync('/usr/bin/python3', [path.join(here, 'make-dicom-series.py'), 'many', ct, TEMPLATE, dir, String(series), String(slices)]);
  fs.writeFileSync(path.join(dir, '.done'), '');
  return dir;
}

const fmt = (x: number, d = 2) => x.toFixed(d);
const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');

interface ChildRun {
  step_ms: number[];
  wait_ms: number[];
  /** performance.now() of the parent when each step line arrived. */
  stepAt: number[];
  readyAt: number;
}

/** Runs bench/_pipeline-child.ts; `onReady` fires when its graph is built. */
function child(args: string[], onReady: () => void): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', path.join(here, '_pipeline-child.ts'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const stepAt: number[] = [];
    let readyAt = NaN;
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      let nl: number;
      while ((nl = err.indexOf('\n')) >= 0) {
        const line = err.slice(0, nl);
        err = err.slice(nl + 1);
        if (line === 'ready') {
          readyAt = performance.now();
          onReady();
        } else if (/^step \d+ /.test(line)) stepAt.push(performance.now());
        else if (line.trim()) process.stderr.write(`  [child] ${line}\n`);
      }
    });
    p.on('error', reject);
    p.on('exit', (code) => {
      const json = out.trim().split('\n').filter((l) => l.startsWith('{')).pop();
      if (code !== 0 || !json) reject(new Error(`pipeline child exited with ${code}: ${out.slice(-2000)}`));
      else resolve({ ...(JSON.parse(json) as { step_ms: number[]; wait_ms: number[] }), stepAt, readyAt });
    });
  });
}

export default async function pipeline(argv: string[]): Promise<void> {
  const a: Record<string, string> = { series: '20', slices: '100', steps: '6', threads: '2', workers: String(defaultLoaderWorkers()), spacing: '2' };
  for (let i = 0; i < argv.length; i += 2) a[argv[i].replace(/^--/, '')] = argv[i + 1];
  const series = Number(a.series);
  const slices = Number(a.slices);
  const steps = Math.max(3, Number(a.steps));
  const workers = Number(a.workers);
  console.log(machineLine());
  console.log(`load average at start: ${load()}`);

  // ---- 1. preprocessing ----------------------------------------------------------------------
  const base = path.join(os.tmpdir(), 'voxelbase-bench-pipeline');
  const src = ensureData(base, series, slices);
  const dataDir = path.join(base, `data-${process.pid}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  const services = createServices({ dataDir });
  let entries: PreprocessedEntry[];
  try {
    const api = createDirectApi(services);
    const { job } = await api.call('import:start', { paths: [src], thumbnails: false });
    const imported = await services.jobs.wait(job);
    if (imported.state !== 'done') throw new Error(`import ${imported.state}: ${imported.error?.message}`);
    const ids = (services.db.prepare("SELECT id FROM series WHERE status = 'complete' ORDER BY id").all() as { id: number }[]).map((r) => r.id);
    const files = (services.db.prepare('SELECT count(*) AS n FROM files WHERE series_id IS NOT NULL').get() as { n: number }).n;
    const cold = await ensurePreprocessed(services, ids, { settings: { spacing: Number(a.spacing) } });
    const warm = await ensurePreprocessed(services, ids, { settings: { spacing: Number(a.spacing) } });
    if (cold.failed.length) throw new Error(`preprocessing failed: ${cold.failed[0].message}`);
    entries = cold.entries;
    const mb = cold.bytesRead / 2 ** 20;
    console.log(
      `preprocess-throughput: ${fmt(ids.length / cold.seconds)} series/s, ${fmt(mb / cold.seconds, 1)} MB/s [${ids.length} CT series, ${files} DICOM files, ${fmt(mb, 0)} MB read in ${fmt(cold.seconds, 1)} s, to ${a.spacing} mm; cold cache]`,
    );
    console.log(`preprocess-cached: ${fmt(warm.seconds, 2)} s for ${warm.reused} series found in the cache (CRC checked)`);
    const shape = entries[0].dims.join('x');
    console.log(`  cache entries: ${entries.length} volumes of ${shape} voxels at ${entries[0].spacing.join('x')} mm (first)`);
  } finally {
    await services.close();
  }

  // ---- 2. loader alone, then while a step runs --------------------------------------------------
  const alone = createLoader({ entries, batch: 8, box: [64, 64, 64], seed: 1, workers });
  await alone.next();
  const n = 4;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await alone.next();
  const aloneRate = n / ((performance.now() - t0) / 1000);
  await alone.close();
  console.log(`loader-alone: ${fmt(aloneRate)} batches/s [${workers} worker thread(s), batch 8 x 2 views x 1 x 64^3]`);

  const loader = createLoader({ entries, batch: 8, box: [64, 64, 64], seed: 2, workers });
  const done: number[] = [];
  let draining = true;
  let started = false;
  const drain = (async () => {
    while (draining) {
      await loader.next();
      done.push(performance.now());
    }
  })();
  const run = await child(['fixed', String(steps), a.threads], () => (started = true));
  draining = false;
  await drain;
  await loader.close();
  if (!started) throw new Error('the step child never got ready');
  // The window: from the end of the first (warm-up) step to the end of the last one.
  const [from, to] = [run.stepAt[0], run.stepAt[run.stepAt.length - 1]];
  const seconds = (to - from) / 1000;
  const batches = done.filter((t) => t > from && t <= to).length;
  const stepRate = (run.stepAt.length - 1) / seconds;
  const loaderRate = batches / seconds;
  const median = (x: number[]) => [...x].sort((p, q) => p - q)[Math.floor(x.length / 2)];
  console.log(
    `loader-rate-during-step: ${fmt(loaderRate)} batches/s (step: ${fmt(stepRate, 3)} steps/s, ratio ${fmt(loaderRate / stepRate)}) [target >= 1.1; ${batches} batches during ${run.stepAt.length - 1} steps, ${fmt(seconds, 1)} s; step median ${fmt(median(run.step_ms.slice(1)), 0)} ms, ${a.threads} threads; loader ${workers} worker(s)]`,
  );

  // ---- 3. the step fed by the loader ------------------------------------------------------------
  const entriesFile = path.join(base, `entries-${process.pid}.json`);
  fs.writeFileSync(entriesFile, JSON.stringify(entries));
  try {
    const fed = await child(['loader', String(steps), a.threads, entriesFile], () => {});
    const waits = fed.wait_ms.slice(1);
    const stepsMs = fed.step_ms.slice(1);
    const waitShare = waits.reduce((p, q) => p + q, 0) / (waits.reduce((p, q) => p + q, 0) + stepsMs.reduce((p, q) => p + q, 0));
    console.log(
      `step-waits-for-data: ${fmt(median(waits), 0)} ms median, ${fmt(Math.max(...waits), 0)} ms max per step (${fmt(100 * waitShare, 1)}% of the time) [first batch ${fmt(fed.wait_ms[0], 0)} ms, not counted; step median ${fmt(median(stepsMs), 0)} ms]`,
    );
  } finally {
    fs.rmSync(entriesFile, { force: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(`load average at end: ${load()}`);
}
