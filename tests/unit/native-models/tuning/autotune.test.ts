// Per-machine autotuning of conv formulations (native-models/tuning/): a tiny BYOL step is tuned into a cache file
// keyed by this machine; a second tuning reads it; every formulation, forced through the cache, gives the same loss
// and gradients as the default plan; every forward formulation forced into an encoder (constant weights: depth taps
// as 2-D channels too) gives its embedding; a graph for CUDA gets the default plan without NCHWc.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildEncoder } from '../../../../native-models/graphs/encoder.js';
import { randomEncoderParams } from '../../../../native-models/graphs/encoder-params.js';
import { buildTrainStep } from '../../../../native-models/graphs/train-step.js';
import { initParams } from '../../../../native-models/init/init-params.js';
import type { TensorData } from '../../../../native-models/ir/tensor.js';
import { resnetPreset } from '../../../../native-models/models/resnet3d.js';
import { type ConvForm, candidateForms, defaultForm } from '../../../../native-models/ops/conv-plan.js';
import { machineInfo, machineKey } from '../../../../native-models/runtime/machine.js';
import { GraphSession } from '../../../../native-models/runtime/session.js';
import { collectSignatures, tuneConvPlan, tuningBatch } from '../../../../native-models/tuning/autotune.js';
import { resolvedOf } from '../../../../native-models/tuning/conv-timer.js';
import { PLAN_FILE, PLAN_FILE_VERSION, type MachinePlan, readPlans } from '../../../../native-models/tuning/plan-cache.js';
import { tinyByol, tinyView } from '../graphs/tiny-byol.js';

// widths so that every formulation applies somewhere (channels in NCHWc blocks, C*27 >= 512 for the batched Gemm);
// 32^3 without the max-pool so that the deepest BN still sees 16 values per channel and view (at 1 voxel x 2 samples
// training BN is so ill-conditioned that float32 rounding differences between formulations grow to 1e-2)
const cfg = tinyByol({ encoder: resnetPreset(10, { widths: [16, 16, 32, 32], noMaxPool: true }), inputShape: [1, 32, 32, 32], emitGrads: true });
const THREADS = 2;
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'vb-tune-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const build = (p: Parameters<Parameters<typeof tuneConvPlan>[0]>[0]) => buildTrainStep(cfg, { convPlanner: p });

/** The planner that `graph`'s plan gives when a cache forces `form` on every signature it is a candidate for (the
 *  default rule elsewhere; undefined forces nothing), read back through tuneConvPlan, and how many were forced. */
async function forcedPlanner(graph: Parameters<typeof tuneConvPlan>[0], form: ConvForm | undefined) {
  const block = machineInfo().nchwcBlock;
  const dir = tmp();
  const choices: MachinePlan['choices'] = {};
  let forced = 0;
  for (const [key, s] of collectSignatures(graph, block)) {
    const applies = !!form && candidateForms(s, resolvedOf(s), block).includes(form);
    if (applies) forced++;
    choices[key] = { form: applies ? form! : defaultForm(s, resolvedOf(s)), times: {} };
  }
  const plan: MachinePlan = { machine: machineKey(THREADS), cpuModel: '', isaFlags: [], threads: THREADS, ortVersion: '', updatedAt: '', tuningMs: 0, choices };
  writeFileSync(join(dir, PLAN_FILE), JSON.stringify({ version: PLAN_FILE_VERSION, plans: { [plan.machine]: plan } }));
  const { planner, report } = await tuneConvPlan(graph, { cacheDir: dir, threads: THREADS });
  expect(report.source).toBe('cache');
  return { planner, report, forced };
}

describe('conv autotuning', () => {
  it('reads a plan file of an older version as empty (its times describe older formulations)', () => {
    const dir = tmp();
    const plan = { machine: 'm', choices: { sig: { form: 'conv', times: { conv: 1 } } } };
    writeFileSync(join(dir, PLAN_FILE), JSON.stringify({ version: PLAN_FILE_VERSION - 1, plans: { m: plan } }));
    expect(readPlans(dir)).toEqual({});
    writeFileSync(join(dir, PLAN_FILE), JSON.stringify({ version: PLAN_FILE_VERSION, plans: { m: plan } }));
    expect(Object.keys(readPlans(dir))).toEqual(['m']);
  });

  it('tunes into a cache keyed by the machine, then reads it back without timing', async () => {
    const dir = tmp();
    writeFileSync(join(dir, PLAN_FILE), JSON.stringify({ version: PLAN_FILE_VERSION, plans: { 'other machine': { machine: 'other machine', choices: {} } } }));
    const first = await tuneConvPlan(build, { cacheDir: dir, threads: THREADS });
    expect(first.report.source).toBe('tuned');
    expect(first.report.machine).toBe(machineKey(THREADS));
    expect(first.report.machine).toContain(machineInfo().cpuModel);
    const plans = readPlans(dir);
    expect(Object.keys(plans).sort()).toEqual([machineKey(THREADS), 'other machine'].sort());
    const plan = plans[machineKey(THREADS)];
    expect(plan.tuningMs).toBeGreaterThan(0);
    const block = machineInfo().nchwcBlock;
    const sigs = collectSignatures(build, block);
    const tunable = [...sigs].filter(([, s]) => candidateForms(s, resolvedOf(s), block).length > 1);
    expect(tunable.length).toBeGreaterThan(10);
    for (const [key, s] of tunable) {
      const c = plan.choices[key];
      expect(c, key).toBeDefined();
      // every candidate was timed (or says why not), and the choice is the fastest that ran
      expect(Object.keys(c.times).sort()).toEqual(candidateForms(s, resolvedOf(s), block).sort());
      const ran = Object.entries(c.times).filter(([, t]) => typeof t === 'number') as [string, number][];
      expect(ran.length).toBeGreaterThan(0);
      expect(c.times[c.form]).toBe(Math.min(...ran.map(([, t]) => t)));
    }
    const t0 = performance.now();
    const again = await tuneConvPlan(build, { cacheDir: dir, threads: THREADS });
    expect(again.report.source).toBe('cache');
    expect(again.report.tunedNow).toBe(0);
    expect(performance.now() - t0).toBeLessThan(first.report.tunedNowMs);
    expect(again.report.choices.map((c) => c.form)).toEqual(first.report.choices.map((c) => c.form));
    // a candidate formulation new since a signature was timed (here: its time removed from the cache) is timed then
    const [key0, sig0] = tunable[0];
    const c0 = plans[machineKey(THREADS)].choices[key0];
    delete (c0.times as Record<string, unknown>)[Object.keys(c0.times).find((f) => f !== c0.form)!];
    writeFileSync(join(dir, PLAN_FILE), JSON.stringify({ version: PLAN_FILE_VERSION, plans }));
    const third = await tuneConvPlan(build, { cacheDir: dir, threads: THREADS });
    expect(third.report.tunedNow).toBe(1);
    expect(Object.keys(readPlans(dir)[machineKey(THREADS)].choices[key0].times).sort()).toEqual(candidateForms(sig0, resolvedOf(sig0), block).sort());
  }, 180_000);

  it('every formulation forced through the cache gives the default plan\'s loss and gradients', async () => {
    const block = machineInfo().nchwcBlock;
    const params = initParams(buildTrainStep(cfg).specs, 5);
    const view = (seed: number): TensorData => {
      const a = tinyView(seed).data as Float32Array, b = tinyView(seed + 100).data as Float32Array;
      return { dtype: 'float32', dims: [2, 1, 32, 32, 32], data: Float32Array.from({ length: 2 * 32 ** 3 }, (_, i) => (i % 2 ? a : b)[i >> 3]) };
    };
    const feeds: Record<string, TensorData> = { ...params, view1: view(1), view2: view(2) };
    const scalar = (v: number): TensorData => ({ dtype: 'float32', dims: [], data: Float32Array.from([v]) });
    Object.assign(feeds, { 'hp.lr': scalar(0.01), 'hp.weight_decay': scalar(1e-4), 'hp.tau': scalar(0.99), 'hp.step': scalar(1) });
    const runWith = async (form: ConvForm | undefined) => {
      const { planner, report, forced } = await forcedPlanner(build, form);
      const step = buildTrainStep(cfg, { convPlanner: planner });
      const types = step.graph.nodes.map((n) => `${n.domain}:${n.opType}`);
      const s = await GraphSession.create(step.graph, { intraOpNumThreads: THREADS });
      const inputs = Object.fromEntries(s.inputNames.map((n) => [n, feeds[n] ?? { dtype: 'float32', dims: step.stateSpecs.find((x) => x.name === n)!.dims, data: new Float32Array(step.stateSpecs.find((x) => x.name === n)!.dims.reduce((a, b) => a * b, 1)) }]));
      const out = await s.run(inputs as Record<string, TensorData>);
      await s.release();
      return { out, forced, types, report };
    };
    const ref = await runWith(undefined);
    const worst: Record<string, number> = {};
    const forms: ConvForm[] = ['conv', 'batched-gemm', 'im2col-matmul', 'nchwc', 'depth-2d', 'conv-flipped', 'flipped-gemm', 'flipped-matmul', 'conv-transpose', 'subpixel', 'gemm-col2im', 'im2col-conv', 'im2col-gemm', 'conv-nc', 'nchwc-nc'];
    for (const form of forms) {
      if ((form === 'nchwc' || form === 'nchwc-nc' || form === 'depth-2d') && !block) continue;
      const r = await runWith(form);
      expect(r.forced, `${form} applies to some conv of the step`).toBeGreaterThan(0);
      expect(r.report.choices.filter((c) => c.form === form).length, form).toBe(r.forced);
      if (form === 'nchwc' || form === 'nchwc-nc') expect(r.types).toContain('com.microsoft.nchwc:Conv');
      const [la, lb] = [Number(r.out.loss.data[0]), Number(ref.out.loss.data[0])];
      expect(Math.abs(la - lb) / Math.abs(lb), `${form} loss`).toBeLessThan(1e-4);
      // relative to each gradient's norm, floored at 1e-2 of the largest: biases feeding a training BN have an
      // analytically zero gradient, whose rounding noise is not comparable between formulations
      const grads = Object.keys(ref.out).filter((n) => n.startsWith('grad.'));
      const norm = (t: TensorData) => Math.hypot(...(t.data as Float32Array));
      const floor = 1e-2 * Math.max(...grads.map((k) => norm(ref.out[k])));
      for (const k of grads) {
        const a = r.out[k].data as Float32Array, b = ref.out[k].data as Float32Array;
        let d = 0;
        for (let i = 0; i < b.length; i++) d += (a[i] - b[i]) ** 2;
        const err = Math.sqrt(d) / Math.max(norm(ref.out[k]), floor);
        worst[form] = Math.max(worst[form] ?? 0, err);
        // float32 rounding of differently ordered sums, amplified through training BN: up to ~1.9e-3 measured for the forward forms (the
        // stem's weight gradient); a wrong formulation is off by O(1)
        expect(err, `${form} ${k}`).toBeLessThan(5e-3);
      }
    }
    console.log('largest relative gradient difference per forced formulation', worst);
  }, 300_000);

  it('every forward formulation forced through the cache gives the default encoder\'s embedding (constant weights)', async () => {
    const block = machineInfo().nchwcBlock;
    const resnet = resnetPreset(10, { widths: [16, 16, 32, 32] });
    const params = randomEncoderParams(resnet, 3);
    const buildEnc = (p: Parameters<Parameters<typeof tuneConvPlan>[0]>[0]) => buildEncoder(resnet, params, { spatial: [32, 32, 32], batch: 2, convPlanner: p });
    const sigs = collectSignatures(buildEnc, block);
    expect([...sigs.values()].every((sg) => sg.role === 'forward' && sg.constWeight)).toBe(true);
    const image = tinyView(7);
    const input: TensorData = { dtype: 'float32', dims: [2, 1, 32, 32, 32], data: Float32Array.from({ length: 2 * 32 ** 3 }, (_, i) => (image.data as Float32Array)[i >> 3]) };
    const runWith = async (form: ConvForm | undefined) => {
      const { planner, report, forced } = await forcedPlanner(buildEnc, form);
      const graph = buildEnc(planner);
      const s = await GraphSession.create(graph, { intraOpNumThreads: THREADS });
      const out = (await s.run({ image: input })).embedding;
      await s.release();
      return { out, forced, graph, report };
    };
    const ref = await runWith(undefined);
    const scale = Math.max(...Array.from(ref.out.data as Float32Array, Math.abs));
    expect(scale).toBeGreaterThan(0);
    for (const form of ['conv', 'batched-gemm', 'im2col-matmul', 'nchwc', 'depth-2d'] as ConvForm[]) {
      if ((form === 'nchwc' || form === 'nchwc-nc') && !block) continue;
      const r = await runWith(form);
      expect(r.forced, `${form} applies to some conv of the encoder`).toBeGreaterThan(0);
      expect(r.report.choices.filter((c) => c.form === form).length, form).toBe(r.forced);
      if (form === 'nchwc') expect(r.graph.nodes.some((n) => n.domain === 'com.microsoft.nchwc')).toBe(true);
      if (form === 'depth-2d') expect(r.graph.nodes.filter((n) => n.opType === 'Conv' && n.inputs[0]!.rank === 4).length).toBeGreaterThanOrEqual(r.forced); // a signature may serve several convs
      if (form === 'batched-gemm') expect(r.graph.nodes.some((n) => n.opType === 'Gemm')).toBe(true);
      if (form === 'im2col-matmul') expect(r.graph.nodes.some((n) => n.opType === 'MatMul' && n.inputs[1]!.rank === 3)).toBe(true);
      const a = r.out.data as Float32Array, b = ref.out.data as Float32Array;
      const worst = Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));
      expect(worst / scale, form).toBeLessThan(1e-4);
    }
  }, 120_000);

  it('times large convs at fewer samples: the ResNet-18 stem at 64^3 at 2, layer1 at 4, the deep layers at their batch; weight gradients at their batch', () => {
    const sig = (x: number[], w: number[], s: number, p: number, role: 'forward' | 'weight-grad' = 'forward') => ({ role, x, w, strides: [s, s, s], pads: Array(6).fill(p), dilations: [1, 1, 1] });
    expect(tuningBatch(sig([16, 1, 64, 64, 64], [64, 1, 7, 7, 7], 2, 3), 16)).toBe(2); // 0.72G multiply-adds a sample
    expect(tuningBatch(sig([16, 64, 16, 16, 16], [64, 64, 3, 3, 3], 1, 1), 16)).toBe(4); // 0.45G
    expect(tuningBatch(sig([16, 256, 4, 4, 4], [256, 256, 3, 3, 3], 1, 1), 16)).toBe(16); // 113M
    expect(tuningBatch(sig([16, 512, 2, 2, 2], [512, 512, 3, 3, 3], 1, 1), 4)).toBe(4); // 57M, at most maxBatch
    expect(tuningBatch(sig([2, 512, 2, 2, 2], [512, 512, 3, 3, 3], 1, 1), 16)).toBe(2); // never more than the batch
    expect(tuningBatch(sig([16, 1, 64, 64, 64], [64, 1, 7, 7, 7], 2, 3, 'weight-grad'), 16)).toBe(16); // 11.5G for 16
    expect(tuningBatch(sig([32, 1, 64, 64, 64], [64, 1, 7, 7, 7], 2, 3, 'weight-grad'), 32)).toBe(16); // cut at 12G
  });

  it('a graph for CUDA gets the default plan and no NCHWc ops, even when NCHWc is forced', async () => {
    const { planner, report } = await tuneConvPlan(build, { cacheDir: tmp(), executionProviders: ['cuda', 'cpu'] });
    expect(report.source).toBe('default');
    expect(planner.nchwcBlock).toBeUndefined();
    const step = buildTrainStep({ ...cfg, conv: { forward: 'nchwc', input: 'nchwc' } }, { convPlanner: planner });
    expect(step.graph.nodes.some((n) => n.domain !== '')).toBe(false);
  });
});
