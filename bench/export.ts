// `npm run bench -- export [--depth 50] [--size 64] [--threads 2]`
// Exporting a full-width encoder (block_inplanes 64-512) of the given depth for a S^3 box, as `voxelbase export`
// does it (app/services/export/export-encoder.ts, in this process): MONAI-keyed safetensors, the BN-folded ONNX model,
// its check against the unfolded encoder in onnxruntime, the model card; seconds per step, file sizes, peak RSS.
// Peer, in the same run: PyTorch 1.13 loading the exported safetensors into MONAI's ResNet (strict) and exporting
// it with torch.save and torch.onnx.export (opset 17, dynamic batch; bench/_torch_export.py). Both ONNX models then
// run in onnxruntime-node on the same seeded batch: the largest difference of their features, relative to the
// largest feature, says that the two independent exporters agree.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeEncoderExport } from '../app/services/export/index.js';
import { GraphSession, Philox, randomEncoderParams, resnetPreset, type ResNetDepth, type TensorData } from '../native-models/index.js';
import { machineLine } from './lib/machine.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
const s = (x: number) => `${x.toFixed(2)} s`;

/** Random encoder weights with BN statistics drawn away from their initial values, and BN counters. */
function weights(depth: ResNetDepth, seed: number) {
  const resnet = resnetPreset(depth);
  const p = randomEncoderParams(resnet, seed);
  const r = new Philox(seed + 1);
  for (const [k, t] of Object.entries(p)) {
    const d = t.data as Float32Array;
    if (k.endsWith('running_mean')) for (let i = 0; i < d.length; i++) d[i] = 0.1 * r.normal();
    if (k.endsWith('running_var')) for (let i = 0; i < d.length; i++) d[i] = 0.5 + r.uniform();
  }
  for (const k of Object.keys(p)) if (k.endsWith('running_mean')) p[k.replace(/running_mean$/, 'num_batches_tracked')] = { dtype: 'int64', dims: [], data: BigInt64Array.from([600n]) };
  return { resnet, encoder: p as Record<string, TensorData> };
}

export default async function main(argv: string[]): Promise<void> {
  const a: Record<string, string> = { depth: '50', size: '64', threads: '2' };
  for (let i = 0; i < argv.length; i += 2) a[argv[i].replace(/^--/, '')] = argv[i + 1];
  const depth = Number(a.depth) as ResNetDepth;
  const size = Number(a.size);
  const box: [number, number, number] = [size, size, size];
  console.log(machineLine());
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'voxelbase-bench-export-'));
  try {
    const { resnet, encoder } = weights(depth, 7);
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const times: Record<string, number> = {};
    let last = performance.now();
    let current = '';
    const t0 = performance.now();
    const out = await writeEncoderExport(
      {
        run: { id: 1, name: `bench resnet${depth}`, state: 'done', step: 600, totalSteps: 600, createdAt: new Date().toISOString(), endedAt: null },
        checkpoint: { step: 600, file: 'step-000600.safetensors' },
        resnet,
        encoder,
        input: { box, spacingMm: [2, 2, 2], orientation: 'RAS', axes: 'D: z, H: y, W: x', intensity: {} },
        training: { method: 'BYOL' },
        compute: { provider: 'cpu', hardware: { cpu: os.cpus()[0]?.model ?? '', threads: Number(a.threads) } },
        data: null,
      },
      path.join(root, 'voxelbase'),
      { formats: ['onnx', 'safetensors', 'card'], keys: 'monai', version: 'bench', threads: Number(a.threads) },
      {
        progress: (step) => {
          const t = performance.now();
          if (current) times[current] = (times[current] ?? 0) + (t - last) / 1000;
          current = step;
          last = t;
        },
      },
    );
    const total = (performance.now() - t0) / 1000;
    clearInterval(timer);
    const bytes = (n: string) => out.files.find((f) => f.name === n)!.bytes;
    const peer = JSON.parse(
      execFileSync('/usr/bin/python3', [path.join(here, '_torch_export.py'), out.dir, path.join(root, 'torch.onnx'), ...box.map(String)], {
        encoding: 'utf8',
        env: { ...process.env, BENCH_THREADS: a.threads },
      }),
    ) as { load_s: number; save_s: number; onnx_s: number; onnx_bytes: number; pt_bytes: number };

    // Both ONNX models on one seeded batch of 2.
    const r = new Philox(3);
    const x = new Float32Array(2 * box[0] * box[1] * box[2]);
    for (let i = 0; i < x.length; i++) x[i] = r.normal();
    const feats = async (file: string) => {
      const sess = await GraphSession.create(fs.readFileSync(file), { intraOpNumThreads: Number(a.threads) });
      const t = performance.now();
      const y = (await sess.run({ image: { dtype: 'float32', dims: [2, 1, ...box], data: x } }, ['embedding'])).embedding.data as Float32Array;
      const secs = (performance.now() - t) / 1000;
      await sess.release();
      return { y, secs };
    };
    const ours = await feats(path.join(out.dir, 'encoder.onnx'));
    const theirs = await feats(path.join(root, 'torch.onnx'));
    let scale = 0;
    let diff = 0;
    for (let i = 0; i < ours.y.length; i++) {
      scale = Math.max(scale, Math.abs(theirs.y[i]));
      diff = Math.max(diff, Math.abs(ours.y[i] - theirs.y[i]));
    }

    const name = `resnet${depth} ${size}^3`;
    const steps = Object.entries(times).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ');
    console.log(`export ${name} (safetensors + onnx + card, check included): ${s(total)} [${steps}] (peer: ${s(peer.save_s + peer.onnx_s)} torch.save + torch.onnx.export, ratio ${(total / (peer.save_s + peer.onnx_s)).toFixed(2)})`);
    console.log(`export ${name} without the onnxruntime check: ${s(total - (times.verify ?? 0))} (peer: ${s(peer.save_s + peer.onnx_s)}, ratio ${((total - (times.verify ?? 0)) / (peer.save_s + peer.onnx_s)).toFixed(2)})`);
    console.log(`encoder.onnx: ${mb(bytes('encoder.onnx'))} (peer: ${mb(peer.onnx_bytes)}, ratio ${(bytes('encoder.onnx') / peer.onnx_bytes).toFixed(3)})`);
    console.log(`encoder.safetensors: ${mb(bytes('encoder.safetensors'))} (peer: ${mb(peer.pt_bytes)} torch.save, ratio ${(bytes('encoder.safetensors') / peer.pt_bytes).toFixed(3)})`);
    console.log(`features, our ONNX vs torch.onnx.export's, batch 2: max difference ${(diff / scale).toExponential(2)} of the largest feature`);
    console.log(`inference of the exported ONNX, batch 2: ${s(ours.secs)} (peer's ONNX: ${s(theirs.secs)}, ratio ${(ours.secs / theirs.secs).toFixed(2)})`);
    console.log(`peak RSS during the export: +${mb(peak - rss0)} over ${mb(rss0)} (weights ${mb(bytes('encoder.safetensors'))})`);
    console.log(`load average after: ${os.loadavg()[0].toFixed(1)}`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
