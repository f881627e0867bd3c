// `npm run bench -- train-step [--steps N] [--warmup W] [--batch B] [--size S] [--threads T] [--options JSON]`
// BYOL step of a 3D ResNet-18 (MONAI layout, stride-2 stem), two views of B x 1 x S^3 (default 8 x 64^3),
// projector/predictor 4096 -> 256, LARS + EMA, float32: Voxelbase (onnxruntime-node CPU) against PyTorch
// (/usr/bin/python3, torch 1.13), both on T threads (default 2), warm-up then the median of N steps; then encoder
// inference (BN folded) on one view; then peak RSS of each training process. Each measurement runs in its own
// child process. Prints `metric: value unit (pytorch: value unit, ratio R)`, and the load average (timings on a
// shared machine are only comparable at similar load; peak memory does not depend on it).
import { execFile } from 'node:child_process';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { benchConfig } from './_train-step-child.js';
import { machineLine } from './lib/machine.js';
import { trainingProcessEnv } from '../native-models/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const run = promisify(execFile);

interface ChildResult {
  times_ms: number[];
  peak_rss_mb: number;
  build_ms?: number;
  plan?: { source: string; tuned_now_ms: number; tuning_ms: number; forms: Record<string, number> };
}

const planLine = (what: string, r: ChildResult): string =>
  r.plan ? `conv plan (${what}): ${r.plan.source}, tuned now in ${(r.plan.tuned_now_ms / 1000).toFixed(1)} s (plan total ${(r.plan.tuning_ms / 1000).toFixed(1)} s); ${Object.entries(r.plan.forms).map(([k, v]) => `${k} x${v}`).join(', ')}` : `conv plan (${what}): none reported`;

const median = (a: number[]): number => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function parse(stdout: string): ChildResult {
  const line = stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (!line) throw new Error(`bench child printed no result:\n${stdout}`);
  return JSON.parse(line) as ChildResult;
}

function pytorchConfig(batch: number, size: number): string {
  const c = benchConfig(batch, size);
  const e = c.encoder;
  return JSON.stringify({
    block: e.block, layers: e.layers, widths: e.widths, in_channels: e.inChannels, conv1_kernel: e.conv1Kernel,
    conv1_stride: e.conv1Stride, no_max_pool: e.noMaxPool, shortcut: e.shortcut, bias_downsample: e.biasDownsample,
    proj_hidden: c.heads.projHidden, proj_out: c.heads.projOut, pred_hidden: c.heads.predHidden,
    bn_statistics: c.bnStatistics ?? 'per-view', // the same BN statistics on both sides
  });
}

async function ours(mode: string, a: Record<string, string>): Promise<ChildResult> {
  const args = ['--import', 'tsx', join(here, '_train-step-child.ts'), mode, a.batch, a.size, a.warmup, a.steps, a.threads];
  if (a.options) args.push(a.options);
  const { stdout } = await run(process.execPath, args, { maxBuffer: 1 << 24, env: { ...trainingProcessEnv(process.env), OMP_NUM_THREADS: a.threads } });
  return parse(stdout);
}

async function peer(mode: string, a: Record<string, string>): Promise<ChildResult> {
  const { stdout } = await run('/usr/bin/python3', [join(here, '_pytorch_byol.py'), mode, pytorchConfig(+a.batch, +a.size), a.batch, a.size, a.warmup, a.steps, a.threads],
    { maxBuffer: 1 << 24, env: { ...process.env, OMP_NUM_THREADS: a.threads } });
  return parse(stdout);
}

const fmt = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

export default async function trainStep(argv: string[]): Promise<void> {
  const a: Record<string, string> = { steps: '5', warmup: '2', batch: '8', size: '64', threads: '2', options: '' };
  for (let i = 0; i < argv.length; i += 2) a[argv[i].replace(/^--/, '')] = argv[i + 1];
  const load = (): string => loadavg().map((l) => l.toFixed(1)).join(' ');
  console.log(machineLine());
  console.log(`load average at start: ${load()}`);
  // tuning (once per machine and configuration, cached) in its own process: its time and memory are its own
  const tune = await ours('tune', a);
  if (tune.plan) console.log(`conv tuning: ${(tune.plan.tuned_now_ms / 1000).toFixed(1)} s now (${tune.plan.source}; plan total ${(tune.plan.tuning_ms / 1000).toFixed(1)} s), peak RSS ${fmt(tune.peak_rss_mb)} MB [once per machine and configuration; cached in bench/.out/tuning]`);
  const oursTrain = await ours('train', a);
  const peerTrain = await peer('train', a);
  const ts = median(oursTrain.times_ms), tp = median(peerTrain.times_ms);
  const bs = Math.min(...oursTrain.times_ms), bp = Math.min(...peerTrain.times_ms);
  console.log(`train-step: ${fmt(ts)} ms (pytorch: ${fmt(tp)} ms, ratio ${(ts / tp).toFixed(2)}) [target <= 0.9; median of ${a.steps} after ${a.warmup} warm-up, batch ${a.batch} x 2 views x 1 x ${a.size}^3, ${a.threads} threads; graph build+load ${fmt(oursTrain.build_ms ?? 0)} ms]`);
  console.log(planLine('train step', oursTrain));
  console.log(`train-step-best: ${fmt(bs)} ms (pytorch: ${fmt(bp)} ms, ratio ${(bs / bp).toFixed(2)}) [fastest of ${a.steps}]`);
  const oursEnc = await ours('encode', a);
  const peerEnc = await peer('encode', a);
  const es = median(oursEnc.times_ms), ep = median(peerEnc.times_ms);
  const ebs = Math.min(...oursEnc.times_ms), ebp = Math.min(...peerEnc.times_ms);
  console.log(`encoder-inference: ${fmt(es)} ms (pytorch: ${fmt(ep)} ms, ratio ${(es / ep).toFixed(2)}) (target <= 0.8) [batch ${a.batch} x 1 x ${a.size}^3; fastest ${fmt(ebs)} vs ${fmt(ebp)} ms, ratio ${(ebs / ebp).toFixed(2)}]`);
  console.log(planLine('encoder', oursEnc));
  const ms = oursTrain.peak_rss_mb, mp = peerTrain.peak_rss_mb;
  console.log(`peak-memory: ${fmt(ms)} MB (pytorch: ${fmt(mp)} MB, ratio ${(ms / mp).toFixed(2)}) (target <= 1.0) [peak RSS of each training process]`);
  console.log(`load average at end: ${load()}`);
}
