// BN running statistics re-estimated on data (graphs/bn-statistics.ts) against PyTorch float64
// (reference/byol_reference.py bnstats: reset_running_stats, momentum=None, train(), forward each batch, as
// torch.optim.swa_utils.update_bn): a tiny ResNet-10 with shortcut B, four batches of two shapes, old running
// statistics perturbed (they must not matter), encoder read under a prefix.
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { reestimateBnStatistics } from '../../../native-models/graphs/bn-statistics.js';
import { buildTrainStep } from '../../../native-models/graphs/train-step.js';
import { initParams } from '../../../native-models/init/init-params.js';
import { Philox } from '../../../native-models/init/philox.js';
import type { TensorData } from '../../../native-models/ir/tensor.js';
import { readSafetensors, writeSafetensors, type NamedTensor } from '../../../native-models/io/safetensors.js';
import { tinyByol } from '../../unit/native-models/graphs/tiny-byol.js';
import { REFERENCE, TMP, relErr } from './byol-parity-harness.js';

const cfg = tinyByol();
const PREFIX = 'online.encoder.';

function batch(n: number, seed: number): TensorData {
  const r = new Philox(seed);
  const d = new Float32Array(n * 16 ** 3);
  for (let i = 0; i < d.length; i++) d[i] = 0.5 + 2 * r.normal();
  return { dtype: 'float32', dims: [n, 1, 16, 16, 16], data: d };
}

describe('reestimateBnStatistics', () => {
  it('matches PyTorch update_bn (momentum=None cumulative average) on four batches', async () => {
    const params = initParams(buildTrainStep(cfg).specs, 3);
    const r = new Philox(5, 1);
    for (const [k, t] of Object.entries(params)) {
      const d = t.data as Float32Array;
      if (k.endsWith('running_mean')) for (let i = 0; i < d.length; i++) d[i] = 3 * r.normal();
      if (k.endsWith('running_var')) for (let i = 0; i < d.length; i++) d[i] = 5 + r.uniform();
      if (/bn\d\.weight$|downsample\.1\.weight$/.test(k)) for (let i = 0; i < d.length; i++) d[i] = 1 + 0.3 * r.normal();
      if (/bn\d\.bias$|downsample\.1\.bias$/.test(k)) for (let i = 0; i < d.length; i++) d[i] = 0.3 * r.normal();
    }
    const batches = [batch(2, 1), batch(3, 2), batch(2, 3), batch(3, 4)];
    let seen = 0;
    const out = await reestimateBnStatistics(cfg.encoder, params, batches, { prefix: PREFIX, intraOpNumThreads: 2, onBatch: (k) => (seen = k) });
    expect(seen).toBe(4);

    mkdirSync(TMP, { recursive: true });
    const inFile = join(TMP, 'bnstats-in.safetensors'), outFile = join(TMP, 'bnstats-out.safetensors');
    const ref: Record<string, NamedTensor> = {};
    for (const [k, t] of Object.entries(params)) if (k.startsWith(PREFIX)) ref[k.slice(PREFIX.length)] = { dtype: 'float64', dims: t.dims, data: Float64Array.from(t.data as Float32Array) };
    for (const k of Object.keys(ref)) if (k.endsWith('running_mean')) ref[k.replace(/running_mean$/, 'num_batches_tracked')] = { dtype: 'int64', dims: [], data: BigInt64Array.from([7n]) };
    batches.forEach((b, i) => (ref[`batch.${i}`] = { dtype: 'float64', dims: b.dims, data: Float64Array.from(b.data as Float32Array) }));
    const e = cfg.encoder;
    const config = JSON.stringify({ block: e.block, layers: e.layers, widths: e.widths, in_channels: e.inChannels, conv1_kernel: e.conv1Kernel, conv1_stride: e.conv1Stride, no_max_pool: e.noMaxPool, shortcut: e.shortcut, bias_downsample: e.biasDownsample, norm: 'batch' });
    await writeSafetensors(inFile, ref, { config });
    await promisify(execFile)('/usr/bin/python3', [REFERENCE, 'bnstats', inFile, outFile]);
    const expected = (await readSafetensors(outFile)).tensors;
    rmSync(inFile, { force: true });
    rmSync(outFile, { force: true });

    const names = Object.keys(expected);
    expect(names.filter((k) => k.endsWith('running_var')).length).toBe(12); // bn1 + 4 x (bn1, bn2) + 3 downsample
    for (const k of names) {
      const ours = out[PREFIX + k];
      expect(ours, k).toBeDefined();
      if (k.endsWith('num_batches_tracked')) {
        expect(ours.data[0], k).toBe(4n);
        expect(expected[k].data[0], k).toBe(4n);
        continue;
      }
      expect(relErr(ours.data as Float32Array, expected[k].data as Float64Array), k).toBeLessThan(1e-4); // float32 against float64: 2.4e-5 at worst (layer4)
    }
    // everything else unchanged, same objects; the input params untouched
    for (const k of Object.keys(params)) if (!/running_(mean|var)$/.test(k) || !k.startsWith(PREFIX)) expect(out[k], k).toBe(params[k]);
    expect(out[`${PREFIX}bn1.running_var`]).not.toBe(params[`${PREFIX}bn1.running_var`]);
  }, 120_000);

  it('refuses an empty batch list and a batch of the wrong channel count, naming them', async () => {
    const params = initParams(buildTrainStep(cfg).specs, 3);
    await expect(reestimateBnStatistics(cfg.encoder, params, [], { prefix: PREFIX })).rejects.toThrow(/no batches.*online\.encoder\./);
    const bad: TensorData = { dtype: 'float32', dims: [2, 3, 16, 16, 16], data: new Float32Array(2 * 3 * 16 ** 3) };
    await expect(reestimateBnStatistics(cfg.encoder, params, [bad], { prefix: PREFIX })).rejects.toThrow(/batch 1 has shape \[2,3,16,16,16\]/);
  });
});
