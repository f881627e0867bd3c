// The double-buffered runner gives exactly what chaining plain session runs gives, over three steps, and its
// state dict carries MONAI keys and num_batches_tracked.
import { describe, expect, it } from 'vitest';
import { initParams } from '../../../../native-models/init/init-params.js';
import type { TensorData } from '../../../../native-models/ir/tensor.js';
import { ByolTrainRunner } from '../../../../native-models/graphs/train-runner.js';
import { buildTrainStep } from '../../../../native-models/graphs/train-step.js';
import { GraphSession } from '../../../../native-models/runtime/session.js';
import { tinyByol, tinyView } from './tiny-byol.js';

const cfg = tinyByol();


describe('ByolTrainRunner', () => {
  it('matches chained session runs and keeps MONAI keys', async () => {
    const specs = buildTrainStep(cfg).specs;
    const params = initParams(specs, 1);
    const runner = await ByolTrainRunner.create(cfg, params, { intraOpNumThreads: 2 });
    const plain = await GraphSession.create(buildTrainStep(cfg).graph, { intraOpNumThreads: 2 });
    let feeds: Record<string, TensorData> = { ...params };
    for (const n of plain.inputNames) if (n.startsWith('state.')) feeds[n] = { dtype: 'float32', dims: runner.tensors()[n].dims, data: new Float32Array(runner.tensors()[n].data.length) };
    const losses: number[] = [];
    for (let k = 1; k <= 3; k++) {
      const hp = { lr: 1e-3, weightDecay: 1e-2, tau: 0.99, step: k };
      const v1 = tinyView(10 * k), v2 = tinyView(10 * k + 1);
      const scalar = (v: number): TensorData => ({ dtype: 'float32', dims: [], data: Float32Array.from([v]) });
      const out = await plain.run({ ...feeds, view1: v1, view2: v2, 'hp.lr': scalar(hp.lr), 'hp.weight_decay': scalar(hp.weightDecay), 'hp.tau': scalar(hp.tau), 'hp.step': scalar(k) });
      const { loss, collapseStd } = await runner.step(v1, v2, hp);
      expect(loss).toBe(Number(out.loss.data[0]));
      expect(collapseStd).toBe(Number(out.collapse_std.data[0]));
      // healthy random network: spread over the sphere, near 1/sqrt(projOut) = 0.35 (0 would mean collapse)
      expect(collapseStd).toBeGreaterThan(0.1);
      expect(collapseStd).toBeLessThan(1);
      losses.push(loss);
      const next: Record<string, TensorData> = {};
      // a new value may come out flat [n, 1] (optim/axpby.ts): fed back under the input's shape
      for (const n of plain.inputNames) if (out[`new.${n}`]) next[n] = { ...out[`new.${n}`], dims: feeds[n].dims };
      feeds = { ...feeds, ...next };
    }
    const live = runner.tensors();
    for (const [n, t] of Object.entries(live)) {
      if (n.endsWith('.num_batches_tracked')) continue; // counted by the runner, not a graph tensor
      expect(Array.from(t.data as Float32Array)).toEqual(Array.from(feeds[n].data as Float32Array));
    }
    expect(new Set(losses).size).toBe(3);
    const sd = runner.stateDict('online.encoder.');
    expect(Object.keys(sd)).toContain('layer1.0.conv1.weight');
    expect(Object.keys(sd)).toContain('layer2.0.downsample.1.running_var');
    // Per-view BN statistics (the default): each view is its own forward, as in PyTorch's BYOL, so 2 per step.
    expect(sd['bn1.num_batches_tracked'].data[0]).toBe(6n);
    expect(runner.stateDict('target.encoder.')['layer1.0.bn1.num_batches_tracked'].data[0]).toBe(6n);
    await runner.release();
    await plain.release();
  }, 60_000);

  it("frees onnxruntime-node's copies of the outputs before step() resolves (runtime/gc.ts)", async () => {
    // the binding returns a fresh copy of every output; left to V8 they stay until some later collection, i.e.
    // through the next step's activations (+432 MiB of peak RSS for ResNet-18). Heads wide enough that the
    // carried tensors dwarf the noise of ArrayBuffers the test process makes meanwhile.
    const wide = tinyByol({ heads: { projHidden: 1024, projOut: 64, predHidden: 1024 } });
    const runner = await ByolTrainRunner.create(wide, initParams(buildTrainStep(wide).specs, 1), { intraOpNumThreads: 2 });
    const carried = Object.values(runner.tensors()).reduce((s, t) => s + t.data.byteLength, 0);
    expect(carried).toBeGreaterThan(2e6);
    const v1 = tinyView(1), v2 = tinyView(2);
    const hp = { lr: 1e-3, weightDecay: 1e-2, tau: 0.99, step: 1 };
    await runner.step(v1, v2, hp);
    const base = process.memoryUsage().arrayBuffers;
    for (let k = 2; k <= 4; k++) {
      await runner.step(v1, v2, { ...hp, step: k });
      // without the collection (or with it in the run's own turn) each step leaves `carried` bytes of copies
      expect(process.memoryUsage().arrayBuffers - base, `after step ${k}`).toBeLessThan(carried / 4);
    }
  });

  it('without the collapse monitor the step has no collapse_std output and reports undefined', async () => {
    const off = tinyByol({ collapseMonitor: false });
    const built = buildTrainStep(off);
    expect(built.graph.outputs.map((o) => o.name)).not.toContain('collapse_std');
    expect(buildTrainStep(cfg).graph.outputs.map((o) => o.name)).toContain('collapse_std');
    const runner = await ByolTrainRunner.create(off, initParams(built.specs, 1), { intraOpNumThreads: 2 });
    const r = await runner.step(tinyView(1), tinyView(2), { lr: 1e-3, weightDecay: 0, tau: 0.99, step: 1 });
    expect(Number.isFinite(r.loss)).toBe(true);
    expect(r.collapseStd).toBeUndefined();
    await runner.release();
  }, 60_000);
});
