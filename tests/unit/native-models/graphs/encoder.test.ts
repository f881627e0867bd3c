// The inference encoder with BatchNorm folded into the convolutions equals the unfolded inference forward
// (BatchNormalization with running statistics), for a dynamic batch, ResNet-18 (basic, shortcut B) and a
// bottleneck ResNet with shortcut A; the embedding has the pooled feature size. Where the plan runs the stem as
// depth-2d on NCHWc kernels, the stem, max-pool and layer1 stay in the blocked layout (models/blocked-stem.ts) and
// the embedding is unchanged.
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../../native-models/ops/builder.js';
import type { TensorData } from '../../../../native-models/ir/tensor.js';
import { Philox } from '../../../../native-models/init/philox.js';
import { initParams } from '../../../../native-models/init/init-params.js';
import { buildEncoder } from '../../../../native-models/graphs/encoder.js';
import { ParamSource } from '../../../../native-models/models/params.js';
import { type ResNetConfig, featureDim, resnet3d, resnetPreset } from '../../../../native-models/models/resnet3d.js';
import { BLOCKED_STAGE_TOLERANCE } from '../../../../native-models/models/blocked-stem.js';
import { machineInfo } from '../../../../native-models/runtime/machine.js';
import { GraphSession } from '../../../../native-models/runtime/session.js';

function paramsFor(cfg: ResNetConfig, seed: number): Record<string, TensorData> {
  const g = new GraphBuilder('specs');
  const p = new ParamSource(g, 'float32', 'input');
  resnet3d({ g, p, training: false, bnEps: 1e-5, bnMomentum: 0.1 }, g.input('x', 'float32', [1, cfg.inChannels, 16, 16, 16]), cfg);
  const params = initParams(p.specs, seed);
  const rng = new Philox(seed, 5);
  for (const s of p.specs) {
    const d = params[s.name].data as Float32Array;
    if (s.kind === 'running-mean' || s.kind === 'norm-bias') for (let i = 0; i < d.length; i++) d[i] = 0.2 * rng.normal();
    if (s.kind === 'running-var') for (let i = 0; i < d.length; i++) d[i] = 0.5 + rng.uniform();
    if (s.kind === 'norm-weight') for (let i = 0; i < d.length; i++) d[i] = 1 + 0.2 * rng.normal();
  }
  return params;
}

function image(n: number, c: number, s: number, seed: number): TensorData {
  const rng = new Philox(seed, 1);
  const data = new Float32Array(n * c * s * s * s);
  for (let i = 0; i < data.length; i++) data[i] = rng.normal();
  return { dtype: 'float32', dims: [n, c, s, s, s], data };
}

const rel = (a: Float32Array, b: Float32Array): number => {
  let d = 0, m = 0;
  for (let i = 0; i < a.length; i++) { d += (a[i] - b[i]) ** 2; m += b[i] ** 2; }
  return Math.sqrt(d / m);
};

describe('encoder inference graph', () => {
  const cases: [string, ResNetConfig, number][] = [
    ['resnet18 (narrow) shortcut B', resnetPreset(18, { widths: [16, 32, 64, 64] }), 32],
    ['bottleneck shortcut A, 2 channels, stride-1 stem', resnetPreset(50, { layers: [1, 1, 1, 1], widths: [8, 8, 16, 16], shortcut: 'A', inChannels: 2, conv1Stride: 1, conv1Kernel: 3 }), 16],
  ];
  for (const [label, cfg, size] of cases) {
    it(`folded BN equals the unfolded inference forward (${label})`, async () => {
      const params = paramsFor(cfg, 3);
      const folded = await GraphSession.create(buildEncoder(cfg, params, { spatial: [size, size, size] }), { intraOpNumThreads: 2 });
      const plain = await GraphSession.create(buildEncoder(cfg, params, { spatial: [size, size, size], foldBn: false }), { intraOpNumThreads: 2 });
      expect(folded.session.inputNames).toEqual(['image']);
      for (const n of [1, 3]) {
        const x = image(n, cfg.inChannels, size, n);
        const a = (await folded.run({ image: x })).embedding;
        const b = (await plain.run({ image: x })).embedding;
        expect(a.dims).toEqual([n, featureDim(cfg)]);
        expect(rel(a.data as Float32Array, b.data as Float32Array)).toBeLessThan(1e-5);
        expect(Math.max(...Array.from(b.data as Float32Array, (v) => Math.abs(v)))).toBeGreaterThan(0);
      }
      const ops = (await import('../../../../native-models/graphs/encoder.js')).buildEncoder(cfg, params, { spatial: [size, size, size] }).nodes.map((n) => n.opType);
      expect(ops).not.toContain('BatchNormalization');
      await folded.release();
      await plain.release();
    }, 60_000);
  }

  const block = machineInfo().nchwcBlock;
  for (const layer2 of [false, true]) it.skipIf(!block)(`a plan with the stem as depth-2d keeps stem, max-pool and layer1${layer2 ? ' and layer2' : ''} blocked (block ${block}), same embedding`, async () => {
    const cfg = resnetPreset(18, { widths: [16, 32, 64, 64] }); // 16 and 32 channels: whole blocks of 8 and of 16
    const size = 32;
    const params = paramsFor(cfg, 4);
    // the stem as depth-2d; with layer2, its stride-1 convs (32 -> 32 channels) as nchwc
    const choose = (sig: { role: string; w: number[]; strides: number[] }) =>
      sig.role !== 'forward' ? undefined : sig.w[2] === 7 ? ('depth-2d' as const) : layer2 && sig.w[0] === 32 && sig.w[1] === 32 && sig.strides[0] === 1 ? ('nchwc' as const) : undefined;
    const graph = buildEncoder(cfg, params, { spatial: [size, size, size], convPlanner: { choose, nchwcBlock: block } });
    const types = graph.nodes.map((n) => `${n.domain}:${n.opType}`);
    expect(types).toContain('com.microsoft.nchwc:MaxPool');
    // stem + layer1's 2 blocks x 2 convs x 3 depth taps (+ layer2: conv1, downsample 1 tap, conv2; then 2 x 3)
    expect(types.filter((t) => t === 'com.microsoft.nchwc:Conv').length).toBe(1 + 2 * 2 * 3 + (layer2 ? 3 + 1 + 3 + 2 * 3 : 0));
    // no 3-D max-pool and no ReLU left before layer2: all fused or pooled blocked
    expect(graph.nodes.some((n) => n.opType === 'MaxPool' && !n.domain && n.inputs[0]!.rank === 5)).toBe(false);
    const blocked = await GraphSession.create(graph, { intraOpNumThreads: 2 });
    const plain = await GraphSession.create(buildEncoder(cfg, params, { spatial: [size, size, size], foldBn: false }), { intraOpNumThreads: 2 });
    for (const n of [1, 3]) {
      const x = image(n, 1, size, 10 + n);
      const a = (await blocked.run({ image: x })).embedding;
      const b = (await plain.run({ image: x })).embedding;
      expect(a.dims).toEqual([n, featureDim(cfg)]);
      expect(rel(a.data as Float32Array, b.data as Float32Array)).toBeLessThan(1e-5);
    }
    await blocked.release();
    await plain.release();
  }, 60_000);

  it.skipIf(!block)(`layer2 runs blocked where its NCHWc conv timed within ${BLOCKED_STAGE_TOLERANCE}x of the plan's choice, op by op beyond`, () => {
    const cfg = resnetPreset(18, { widths: [16, 32, 64, 64] });
    const params = paramsFor(cfg, 4);
    const isLayer2 = (sig: { w: number[]; strides: number[] }) => sig.w[0] === 32 && sig.w[1] === 32 && sig.strides[0] === 1;
    const types = (layer2Form: 'nchwc' | 'depth-2d', nchwcMs: number) => {
      const choose = (sig: { role: string; w: number[]; strides: number[] }) =>
        sig.role !== 'forward' ? undefined : sig.w[2] === 7 ? ('depth-2d' as const) : isLayer2(sig) ? layer2Form : undefined;
      const times = () => ({ 'depth-2d': 20, nchwc: nchwcMs, conv: 30 });
      return buildEncoder(cfg, params, { spatial: [32, 32, 32], convPlanner: { choose, times, nchwcBlock: block } })
        .nodes.map((n) => `${n.domain}:${n.opType}`)
        .sort();
    };
    const blockedStage2 = types('nchwc', 20);
    expect(types('depth-2d', 20 * BLOCKED_STAGE_TOLERANCE - 0.5)).toEqual(blockedStage2);
    const opByOp = types('depth-2d', 20 * BLOCKED_STAGE_TOLERANCE + 0.5);
    expect(opByOp).not.toEqual(blockedStage2);
    // blocked, layer2's convs are NCHWc depth taps (conv1 3, downsample 1, conv2 3, then 2 x 3): 13 more than layer1's
    const nchwcConvs = (t: string[]) => t.filter((x) => x === 'com.microsoft.nchwc:Conv').length;
    expect(nchwcConvs(blockedStage2)).toBe(1 + 2 * 2 * 3 + 13);
    expect(nchwcConvs(opByOp)).toBeLessThan(nchwcConvs(blockedStage2));
  });
});
