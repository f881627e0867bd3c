// `npm run bench -- pretrain-quality [--steps 600] [--batch 16] [--input 32] [--spacing 2] [--arch resnet10]
//    [--optimizer adamw] [--lr 3e-4] [--threads 2] [--seed 0] [--grid 3] [--train-per 4] [--eval-per 2]
//    [--widths a,b,c,d] [--heads h,o,p] [--crop-scale 0.04,0.25] [--volumes ch2,ch2bet,ch2better] [--no-peer] [--json]`
// Does BYOL pretraining learn, and as well as PyTorch? (issue 9, DESIGN §5.) On real brain MR volumes among the
// fixtures (Colin27 from mricron-data: ch2 with skull, ch2bet skull-stripped, ch2better the 0.5 mm average; imported
// and preprocessed by Voxelbase at the run's spacing) a region-retrieval task (bench/lib/region-task.ts: crops
// labelled by volume and a G^3 grid region, disjoint gallery / query crops) scores three encoders by kNN-1 and
// recall@5 of the queries against the gallery:
//   random     the run's initial encoder (Voxelbase initParams, the run's seed), BN statistics re-estimated on the
//              gallery crops (DESIGN §6's fair baseline);
//   voxelbase  pretrained through the same path as the Pretrain screen's Start button (pretrain:start on a cohort of
//              the volumes, in a service process of its own: bench/_pretrain-service-child.ts);
//   pytorch    BYOL in PyTorch 1.13 (bench/_pretrain_peer.py) with the same architecture, initial weights, views (the
//              bench feeds it batch k of Voxelbase's loader with the run's seed and augmentations: the views the
//              Voxelbase run trained step k on), optimiser, schedules and step budget.
// Also: samples/s of both trainings (data waits included) and step-only, peak RSS of both processes, and the service
// process's event-loop lag p99 while it trains. Targets (issue 9): voxelbase kNN-1 >= random + 0.04 and
// >= pytorch - 0.02; samples/s >= pytorch's. Training views use random resized crops of 4-25% of the foreground
// box's volume (so that they are about the size of the task's 32^3 crops at 2 mm; set with --crop-scale).
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildTrainStep, encodeSafetensors, initParams, readSafetensors, reestimateBnStatistics, type ResNetConfig, type TensorData, type TensorMap } from '../native-models/index.js';
import { createServices } from '../app/services/index.js';
import { createDirectApi } from '../app/transports/direct.js';
import { ensurePreprocessed } from '../app/services/preprocess/index.js';
import { createLoader } from '../app/services/loader/index.js';
import { getRun, loadRunWeights, readMetrics } from '../app/services/runs/index.js';
import { trainStepConfig } from '../app/services/pretrain/index.js';
import type { PretrainConfig, PretrainOptions } from '../app/contract/types/runs.js';
import { machineLine } from './lib/machine.js';
import { buildRegionTask, cropBatches, embedCrops, scoreEmbedding, type RegionTask, type TaskScore } from './lib/region-task.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const run = promisify(execFile);
export const QUALITY_VOLUMES = ['ch2', 'ch2bet', 'ch2better'];
const TEMPLATES = '/usr/share/mricron/templates';

export interface QualityOptions {
  steps: number;
  batch: number;
  input: number;
  spacing: number;
  arch: PretrainOptions['arch'];
  optimizer: 'lars' | 'adamw';
  lr: number;
  threads: number;
  seed: number;
  grid: number;
  trainPer: number;
  evalPer: number;
  widths?: [number, number, number, number];
  heads?: { projHidden: number; projOut: number; predHidden: number };
  cropScale: [number, number];
  peer: boolean;
  /** The mricron-data volumes the task is built from (default QUALITY_VOLUMES). */
  volumes?: readonly string[];
  /** Working folder (data folder, peer files); removed afterwards unless keep. */
  dir: string;
  keep?: boolean;
  log?: (line: string) => void;
}

export interface QualityResult {
  task: { crops: number; classes: number; queries: number };
  random: TaskScore;
  voxelbase: TaskScore & {
    samplesPerSec: number;
    stepSamplesPerSec: number;
    peakRssMb: number;
    lagP99Ms: number;
    callP99Ms: number | null;
    lastLoss: number;
    /** Mean loss over the first and the last tenth of the steps. */
    lossStart: number;
    lossEnd: number;
    /** The collapse monitor at the last step, and its healthy value 1/sqrt(projection size). */
    collapseStd: number | null;
    healthyStd: number;
  };
  pytorch?: TaskScore & { samplesPerSec: number; stepSamplesPerSec: number; peakRssMb: number; lastLoss: number };
}

export const DEFAULT_QUALITY: Omit<QualityOptions, 'dir'> = {
  steps: 600, batch: 16, input: 32, spacing: 2, arch: 'resnet10', optimizer: 'adamw', lr: 3e-4, threads: 2, seed: 0,
  grid: 3, trainPer: 4, evalPer: 2, cropScale: [0.04, 0.25], peer: true,
};

async function embedScore(task: RegionTask, resnet: ResNetConfig, params: Record<string, TensorData>, threads: number): Promise<TaskScore> {
  return scoreEmbedding(task, await embedCrops(task, resnet, params, threads));
}

/** The pytorch peer's configuration (byol_reference.py's keys) for a Voxelbase run configuration. */
function peerConfig(c: PretrainConfig): Record<string, unknown> {
  const r = c.resnet;
  return {
    block: r.block, layers: r.layers, widths: r.widths, in_channels: r.inChannels, conv1_kernel: r.conv1Kernel, conv1_stride: r.conv1Stride,
    no_max_pool: r.noMaxPool, shortcut: r.shortcut, bias_downsample: r.biasDownsample, norm: r.norm.kind,
    proj_hidden: c.heads.projHidden, proj_out: c.heads.projOut, pred_hidden: c.heads.predHidden,
    optimizer: c.optimizer, lr: c.lr, weight_decay: c.weightDecay, warmup: c.warmupSteps, steps: c.steps, tau_base: c.tauBase,
    batch: c.batch, input: c.input, threads: c.threads,
  };
}

/** Trains the peer on the Voxelbase run's views (batch k of its loader for step k). */
async function trainPeer(dir: string, config: PretrainConfig, entries: Parameters<typeof createLoader>[0]['entries']): Promise<{ step_ms: number[]; wait_ms: number[]; losses: number[]; peak_rss_mb: number; encoder: Record<string, TensorData> }> {
  const init = path.join(dir, 'peer-init.safetensors');
  const out = path.join(dir, 'peer-encoder.safetensors');
  fs.writeFileSync(init, encodeSafetensors(initParams(buildTrainStep(trainStepConfig(config)).specs, config.seed) as TensorMap));
  const child = spawn('/usr/bin/python3', [path.join(here, '_pretrain_peer.py'), JSON.stringify(peerConfig(config)), init, out], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, OMP_NUM_THREADS: String(config.threads) },
  });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', r));
  const loader = createLoader({ entries, batch: config.batch, box: config.input, seed: config.seed, augment: config.augment, workers: config.loaderWorkers });
  const write = (a: Float32Array) => new Promise<void>((resolve, reject) => {
    const ok = child.stdin.write(Buffer.from(a.buffer, a.byteOffset, a.byteLength), (e) => (e ? reject(e) : undefined));
    if (ok) resolve();
    else child.stdin.once('drain', resolve);
  });
  try {
    for (let k = 0; k < config.steps; k++) {
      const b = await loader.next();
      await write(b.view1);
      await write(b.view2);
    }
    child.stdin.end();
  } finally {
    await loader.close();
  }
  const code = await exited;
  if (code !== 0) throw new Error(`the PyTorch peer exited with code ${code}`);
  const line = stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (!line) throw new Error(`the PyTorch peer printed no result:\n${stdout}`);
  const encoder = (await readSafetensors(out)).tensors as Record<string, TensorData>;
  return { ...JSON.parse(line), encoder };
}

export async function pretrainQuality(o: QualityOptions): Promise<QualityResult> {
  const log = o.log ?? (() => {});
  const dataDir = path.join(o.dir, 'data');
  const src = path.join(o.dir, 'src');
  fs.mkdirSync(src, { recursive: true });
  for (const v of o.volumes ?? QUALITY_VOLUMES) fs.copyFileSync(path.join(TEMPLATES, `${v}.nii.gz`), path.join(src, `${v}.nii.gz`));
  // import, cohort, preprocessing (what the run will reuse from the cache)
  const services = createServices({ dataDir, startBackgroundWork: false });
  const api = createDirectApi(services);
  let task: RegionTask;
  let entries;
  try {
    const { job } = await api.call('import:start', { paths: [src], thumbnails: false });
    await services.jobs.wait(job);
    const rows = services.db.prepare('SELECT id, series_instance_uid AS uid FROM series ORDER BY id').all() as { id: number; uid: string }[];
    await api.call('cohort:create', { name: 'quality', seriesIds: rows.map((r) => r.id) });
    const pre = await ensurePreprocessed({ dataDir, db: services.db }, rows.map((r) => r.id), { settings: { spacing: o.spacing } });
    entries = pre.entries;
    task = buildRegionTask(
      pre.entries.map((e) => ({ name: path.basename(rows.find((r) => r.id === e.seriesId)!.uid).replace(/\.nii\.gz$/, ''), entry: e })),
      { box: o.input, grid: o.grid, trainPer: o.trainPer, evalPer: o.evalPer, seed: o.seed },
    );
  } finally {
    await services.close();
  }
  log(`task: ${task.count} crops of ${o.input}^3 at ${o.spacing} mm, ${task.classes} classes (volume x region), ${task.split.filter((s) => s === 'query').length} queries`);

  const options: PretrainOptions = {
    arch: o.arch, input: o.input, spacing: o.spacing, batch: o.batch, steps: o.steps, optimizer: o.optimizer, lr: o.lr, seed: o.seed,
    threads: o.threads, norm: 'batch', ...(o.widths ? { widths: o.widths } : {}), ...(o.heads ? { heads: o.heads } : {}),
    augment: { crop: { scale: o.cropScale } },
  };
  // Voxelbase: the Start button's path, in a service process of its own
  log(`voxelbase: pretraining ${o.steps} steps...`);
  const { stdout } = await run(process.execPath, ['--import', 'tsx', path.join(here, '_pretrain-service-child.ts'), dataDir, 'quality', JSON.stringify(options)], {
    maxBuffer: 1 << 24,
    env: { ...process.env, OMP_NUM_THREADS: String(o.threads) },
  });
  const child = JSON.parse(stdout.trim().split('\n').pop()!) as { run: number; state: string; error?: string; lagP99Ms: number; lagMaxMs: number; callP99Ms: number | null; peakRssMb: number };
  if (child.state !== 'done') throw new Error(`the Voxelbase run ended ${child.state}: ${child.error}`);
  const db = createServices({ dataDir, startBackgroundWork: false });
  let config: PretrainConfig;
  let result: QualityResult;
  try {
    const record = getRun(db.db, child.run);
    config = record.config;
    const metrics = readMetrics(db.db, child.run, 0, 1e9).metrics;
    const ours = await loadRunWeights(dataDir, record);
    const resnet = ours.resnet;

    log('random encoder (the run\'s initial weights), BN statistics re-estimated on the gallery crops...');
    const init = initParams(buildTrainStep(trainStepConfig(config)).specs, config.seed);
    const initEncoder: Record<string, TensorData> = {};
    for (const [k, v] of Object.entries(init)) if (k.startsWith('online.encoder.')) initEncoder[k.slice('online.encoder.'.length)] = v;
    const gallery = task.split.map((s, i) => (s === 'gallery' ? i : -1)).filter((i) => i >= 0);
    const reestimated = await reestimateBnStatistics(resnet, initEncoder, cropBatches(task, gallery, o.batch), { intraOpNumThreads: o.threads });
    const random = await embedScore(task, resnet, reestimated, o.threads);
    const vb = await embedScore(task, resnet, ours.encoder, o.threads);
    const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
    const mean = (a: number[]) => sum(a) / a.length;
    const tenth = Math.max(1, Math.round(metrics.length / 10));
    result = {
      task: { crops: task.count, classes: task.classes, queries: random.queries },
      random,
      voxelbase: {
        ...vb,
        samplesPerSec: (o.steps * o.batch) / (sum(metrics.map((m) => m.stepMs + m.waitMs)) / 1000),
        stepSamplesPerSec: (o.steps * o.batch) / (sum(metrics.map((m) => m.stepMs)) / 1000),
        peakRssMb: child.peakRssMb,
        lagP99Ms: child.lagP99Ms,
        callP99Ms: child.callP99Ms,
        lastLoss: metrics[metrics.length - 1].loss,
        lossStart: mean(metrics.slice(0, tenth).map((m) => m.loss)),
        lossEnd: mean(metrics.slice(-tenth).map((m) => m.loss)),
        collapseStd: metrics[metrics.length - 1].collapseStd,
        healthyStd: 1 / Math.sqrt(config.heads.projOut),
      },
    };
  } finally {
    await db.close();
  }
  if (o.peer) {
    log(`pytorch: pretraining ${o.steps} steps on the same views...`);
    const peer = await trainPeer(o.dir, config, entries);
    const score = await embedScore(task, config.resnet as ResNetConfig, peer.encoder, o.threads);
    const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
    result.pytorch = {
      ...score,
      samplesPerSec: (o.steps * o.batch) / ((sum(peer.step_ms) + sum(peer.wait_ms)) / 1000),
      stepSamplesPerSec: (o.steps * o.batch) / (sum(peer.step_ms) / 1000),
      peakRssMb: peer.peak_rss_mb,
      lastLoss: peer.losses[peer.losses.length - 1],
    };
  }
  if (!o.keep) fs.rmSync(o.dir, { recursive: true, force: true });
  return result;
}

const f3 = (x: number) => x.toFixed(3);
const ratio = (a: number, b: number) => (b ? (a / b).toFixed(2) : '-');

export default async function main(argv: string[]): Promise<void> {
  const a: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i].replace(/^--/, '');
    if (k === 'no-peer' || k === 'json' || k === 'keep') a[k] = '1';
    else a[k] = argv[++i];
  }
  const nums = (s: string) => s.split(',').map(Number);
  const o: QualityOptions = {
    ...DEFAULT_QUALITY,
    steps: Number(a.steps ?? DEFAULT_QUALITY.steps),
    batch: Number(a.batch ?? DEFAULT_QUALITY.batch),
    input: Number(a.input ?? DEFAULT_QUALITY.input),
    spacing: Number(a.spacing ?? DEFAULT_QUALITY.spacing),
    arch: (a.arch ?? DEFAULT_QUALITY.arch) as PretrainOptions['arch'],
    optimizer: (a.optimizer ?? DEFAULT_QUALITY.optimizer) as 'lars' | 'adamw',
    lr: Number(a.lr ?? DEFAULT_QUALITY.lr),
    threads: Number(a.threads ?? DEFAULT_QUALITY.threads),
    seed: Number(a.seed ?? DEFAULT_QUALITY.seed),
    grid: Number(a.grid ?? DEFAULT_QUALITY.grid),
    trainPer: Number(a['train-per'] ?? DEFAULT_QUALITY.trainPer),
    evalPer: Number(a['eval-per'] ?? DEFAULT_QUALITY.evalPer),
    widths: a.widths ? (nums(a.widths) as [number, number, number, number]) : undefined,
    heads: a.heads ? (([p, q, r]) => ({ projHidden: p, projOut: q, predHidden: r }))(nums(a.heads)) : undefined,
    cropScale: a['crop-scale'] ? (nums(a['crop-scale']) as [number, number]) : DEFAULT_QUALITY.cropScale,
    peer: !a['no-peer'],
    volumes: a.volumes ? a.volumes.split(',') : QUALITY_VOLUMES,
    keep: Boolean(a.keep),
    dir: path.join(here, '.out', `pretrain-quality-${process.pid}`),
    log: (l) => console.log(`# ${l}`),
  };
  console.log(machineLine());
  console.log(`# config: ${o.arch}${o.widths ? ` widths ${o.widths.join('-')}` : ''}${o.heads ? ` heads ${o.heads.projHidden}-${o.heads.projOut}-${o.heads.predHidden}` : ''}, ${o.input}^3 at ${o.spacing} mm, batch ${o.batch}, ${o.steps} steps, ${o.optimizer} lr ${o.lr}, ${o.threads} threads, seed ${o.seed}, volumes ${(o.volumes ?? QUALITY_VOLUMES).join(', ')}`);
  const r = await pretrainQuality(o);
  if (a.json) {
    console.log(JSON.stringify(r));
    return;
  }
  const p = r.pytorch;
  console.log(`# task: ${r.task.crops} crops, ${r.task.classes} classes, ${r.task.queries} queries`);
  console.log(`knn1 random (BN re-estimated): ${f3(r.random.knn1)}`);
  console.log(`recall@5 random (BN re-estimated): ${f3(r.random.recall5)}`);
  console.log(`knn1 voxelbase: ${f3(r.voxelbase.knn1)}${p ? ` (pytorch: ${f3(p.knn1)}, ratio ${ratio(r.voxelbase.knn1, p.knn1)})` : ''} (random: ${f3(r.random.knn1)}, gain ${f3(r.voxelbase.knn1 - r.random.knn1)})`);
  console.log(`recall@5 voxelbase: ${f3(r.voxelbase.recall5)}${p ? ` (pytorch: ${f3(p.recall5)}, ratio ${ratio(r.voxelbase.recall5, p.recall5)})` : ''}`);
  console.log(`samples/s voxelbase: ${r.voxelbase.samplesPerSec.toFixed(2)} samples/s${p ? ` (pytorch: ${p.samplesPerSec.toFixed(2)} samples/s, ratio ${ratio(r.voxelbase.samplesPerSec, p.samplesPerSec)})` : ''}`);
  console.log(`step-only samples/s voxelbase: ${r.voxelbase.stepSamplesPerSec.toFixed(2)} samples/s${p ? ` (pytorch: ${p.stepSamplesPerSec.toFixed(2)} samples/s, ratio ${ratio(r.voxelbase.stepSamplesPerSec, p.stepSamplesPerSec)})` : ''}`);
  console.log(`peak RSS voxelbase: ${r.voxelbase.peakRssMb.toFixed(0)} MB${p ? ` (pytorch: ${p.peakRssMb.toFixed(0)} MB, ratio ${ratio(r.voxelbase.peakRssMb, p.peakRssMb)})` : ''}`);
  console.log(`last loss voxelbase: ${r.voxelbase.lastLoss.toFixed(4)}${p ? ` (pytorch: ${p.lastLoss.toFixed(4)})` : ''}`);
  console.log(`# voxelbase loss, mean of the first and last tenth of the steps: ${r.voxelbase.lossStart.toFixed(4)} -> ${r.voxelbase.lossEnd.toFixed(4)}; collapse std at the end ${r.voxelbase.collapseStd?.toFixed(4) ?? '-'} (healthy about ${r.voxelbase.healthyStd.toFixed(4)})`);
  console.log(`event-loop lag p99 while training: ${r.voxelbase.lagP99Ms.toFixed(1)} ms (a runs:get call p99: ${r.voxelbase.callP99Ms?.toFixed(1) ?? '-'} ms)`);
  const targets = [
    [`kNN-1 >= random + 0.04`, r.voxelbase.knn1 >= r.random.knn1 + 0.04],
    ...(p ? [[`kNN-1 >= pytorch - 0.02`, r.voxelbase.knn1 >= p.knn1 - 0.02], [`samples/s >= pytorch`, r.voxelbase.samplesPerSec >= p.samplesPerSec]] : []),
  ] as [string, boolean][];
  for (const [t, ok] of targets) console.log(`target ${t}: ${ok ? 'met' : 'NOT met'}`);
  console.log(machineLine());
}
