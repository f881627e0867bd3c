// Save and resume of BYOL training (the basis of "kill mid-training and resume"): a runner trained two steps saves
// its tensors() (online and target parameters, BN running statistics, AdamW state) as safetensors; a fresh runner
// created from that file alone and the original then run step 3 on the same views and hyper-parameters, and must
// give the same loss and bit-identical parameters, buffers and optimiser state.
// BN num_batches_tracked travels in the checkpoint too (PyTorch's key next to each running_mean), so the resumed
// runner's state dict goes on counting from where the original stopped.
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initParams } from '../../../../native-models/init/init-params.js';
import type { TensorData } from '../../../../native-models/ir/tensor.js';
import { ByolTrainRunner, type StepHyper } from '../../../../native-models/graphs/train-runner.js';
import { buildTrainStep } from '../../../../native-models/graphs/train-step.js';
import { type TensorMap, readSafetensors, writeSafetensors } from '../../../../native-models/io/safetensors.js';
import { tinyByol, tinyView } from './tiny-byol.js';

const cfg = tinyByol();


const hyper = (step: number): StepHyper => ({ lr: 1e-3, weightDecay: 1e-2, tau: 0.99, step });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-resume-'));

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('ByolTrainRunner save and resume', () => {
  it('a runner made from the saved tensors continues exactly like the original', async () => {
    const params = initParams(buildTrainStep(cfg).specs, 7);
    const original = await ByolTrainRunner.create(cfg, params, { intraOpNumThreads: 2 });
    for (const k of [1, 2]) await original.step(tinyView(10 * k), tinyView(10 * k + 1), hyper(k));

    const file = path.join(dir, 'checkpoint.safetensors');
    await writeSafetensors(file, original.tensors() as TensorMap);
    const saved = (await readSafetensors(file)).tensors;
    const names = Object.keys(original.tensors()).sort();
    expect(Object.keys(saved).sort()).toStrictEqual(names);
    // The checkpoint carries the whole training state: both networks, BN running statistics, optimiser slots.
    expect(names.some((n) => n.startsWith('online.encoder.') && n.endsWith('.weight'))).toBe(true);
    expect(names.some((n) => n.startsWith('target.encoder.'))).toBe(true);
    expect(names.some((n) => n.endsWith('.running_var'))).toBe(true);
    const state = names.filter((n) => n.startsWith('state.'));
    expect(state.length).toBeGreaterThan(0);
    expect(state.some((n) => (saved[n].data as Float32Array).some((v) => v !== 0))).toBe(true);

    const resumed = await ByolTrainRunner.create(cfg, saved as Record<string, TensorData>, { intraOpNumThreads: 2 });
    for (const n of names) expect(Array.from(resumed.tensors()[n].data as Float32Array), n).toStrictEqual(Array.from(original.tensors()[n].data as Float32Array));
    expect(saved['online.encoder.bn1.num_batches_tracked'].data[0]).toBe(4n); // 2 steps x 2 views

    const v1 = tinyView(30), v2 = tinyView(31);
    const lossOriginal = (await original.step(v1, v2, hyper(3))).loss;
    const lossResumed = (await resumed.step(v1, v2, hyper(3))).loss;
    expect(Number.isFinite(lossOriginal)).toBe(true);
    expect(lossResumed).toBe(lossOriginal);
    const a = original.tensors(), b = resumed.tensors();
    let changed = 0;
    for (const n of names) {
      const x = a[n].data as Float32Array, y = b[n].data as Float32Array;
      expect(y.length, n).toBe(x.length);
      let same = true;
      for (let i = 0; i < x.length && same; i++) same = Object.is(x[i], y[i]);
      expect(same, `${n} differs after the resumed step`).toBe(true);
      if ((saved[n].data as Float32Array).some((v, i) => v !== x[i])) changed++;
    }
    // Step 3 really moved the state (the comparison is not between two untouched copies).
    expect(changed).toBeGreaterThan(names.length / 2);
    expect(resumed.stateDict('online.encoder.')['bn1.num_batches_tracked'].data[0]).toBe(6n);
    await original.release();
    await resumed.release();
  }, 60_000);
});
