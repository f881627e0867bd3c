// Parity of one full BYOL training step (graphs/train-step.ts run by onnxruntime-node) with the PyTorch float64
// reference (reference/byol_reference.py, Debian's python3-torch): loss, EVERY gradient of the online network and
// EVERY updated tensor (online and target parameters, BN running statistics, optimiser state).
// Relative error per tensor: ||ours - ref|| / max(||ref||, eps); eps = 1e-30 for updated tensors and
// 1e-8 x (global reference gradient norm) for gradients, because some gradients are analytically zero (a bias that
// feeds a training-mode BatchNorm: downsample.0.bias, projector.0/3.bias, predictor.0.bias) and are rounding noise
// on both sides; the test asserts that exactly those are the near-zero ones.
// BN statistics are per view by default (each view normalised by its own batch statistics and two running-statistics
// updates per step, as two separate PyTorch forwards: models/norms.ts); 'joint' (both views as one batch) and
// GroupNorm + weight standardisation (torch.nn.GroupNorm + timm's StdConv formula) are checked on a ResNet-10.
// The graphs run in float64 (ORT's CPU has no double Conv; C1's lowering turns float64 convs into im2col + MatMul),
// which is what reaches 1e-4. The float32 graph is checked separately against what float32 can reach.
import { describe, expect, it } from 'vitest';
import { type ConvVariant, type ParityResult, runParity, summarise } from './byol-parity-harness.js';
import { resnetPreset } from '../../../native-models/models/resnet3d.js';
import type { TrainStepConfig } from '../../../native-models/graphs/train-step.js';

function report(label: string, r: ParityResult): void {
  const lines = Object.entries(summarise(r.errors)).map(([k, v]) => `  ${k.padEnd(24)} max ${v.max.toExponential(2)} over ${v.count} (${v.worst})`);
  console.log(`${label}: loss ours ${r.loss.ours} ref ${r.loss.ref} rel ${r.loss.rel.toExponential(2)}; build ${r.timings.buildMs.toFixed(0)} ms, ORT ${r.timings.ortMs.toFixed(0)} ms, reference ${r.timings.refMs.toFixed(0)} ms\n${lines.join('\n')}`);
}

const ZERO_GRAD = /(downsample\.0\.bias|projector\.0\.bias|projector\.3\.bias|predictor\.0\.bias)$/;

function expectParity(r: ParityResult, tol: number): void {
  expect(r.loss.rel).toBeLessThan(tol);
  const bad = [...r.errors].filter(([, e]) => !(e < tol));
  expect(bad).toEqual([]);
  expect(r.structurallyZero.length).toBeGreaterThan(0);
  for (const n of r.structurallyZero) expect(n).toMatch(ZERO_GRAD);
}

const narrow = (over: Partial<TrainStepConfig> = {}): TrainStepConfig => ({
  encoder: resnetPreset(18, { widths: [16, 32, 64, 128] }),
  heads: { projHidden: 256, projOut: 64, predHidden: 256 },
  optimizer: { type: 'lars', momentum: 0.9, eta: 1e-3 },
  batch: 4,
  inputShape: [1, 32, 32, 32],
  dtype: 'float64',
  ...over,
});

/**
 * ResNet-10 (MONAI layout), narrow widths, batch 4 x 1 x 16^3: seconds, for the cheaper variants. Not batch 2: with
 * per-view statistics a view of 2 samples gives the heads' BN (and BN at 1^3 spatial) 2 values per channel, whose
 * output is +-1 whatever the input, so every gradient below it is scaled by ~eps / (d^2 + eps) through cancellation
 * and float64 rounding shows at ~1e-5 relative (measured) instead of ~1e-9.
 */
const tiny = (over: Partial<TrainStepConfig> = {}): TrainStepConfig => ({
  encoder: resnetPreset(10, { widths: [8, 16, 32, 64] }),
  heads: { projHidden: 64, projOut: 32, predHidden: 64 },
  optimizer: { type: 'sgd', momentum: 0.9 },
  batch: 4,
  inputShape: [1, 16, 16, 16],
  dtype: 'float64',
  ...over,
});

describe('BYOL train step vs PyTorch float64', () => {
  it('per-view BN statistics (the default), ResNet-10 at 16^3: all within 1e-4', async () => {
    const r = await runParity(tiny(), 'resnet10-per-view');
    report('resnet10 float64 sgd, per-view BN statistics', r);
    expectParity(r, 1e-4);
  }, 600_000);

  it('ResNet-18 (MONAI layout, shortcut B with bias), heads 4096 -> 256, batch 4 x 1 x 32^3, SGD momentum: all within 1e-4', async () => {
    const r = await runParity({
      encoder: resnetPreset(18),
      heads: { projHidden: 4096, projOut: 256, predHidden: 4096 },
      optimizer: { type: 'sgd', momentum: 0.9 },
      batch: 4,
      inputShape: [1, 32, 32, 32],
      dtype: 'float64',
    }, 'resnet18-sgd');
    report('resnet18 float64 sgd', r);
    // 75 online parameters (grad, new value, momentum each), 69 target parameters, 22 + 21 BNs x 2 running stats,
    // the collapse monitor
    expect(r.errors.size).toBe(75 * 3 + 69 + 43 * 2 + 1);
    expect(r.errors.get('collapse_std')).toBeLessThan(1e-6);
    expectParity(r, 1e-4);
  }, 3_600_000);

  it('joint BN statistics (both views as one batch), ResNet-10 at 16^3: all within 1e-4', async () => {
    const r = await runParity(tiny({ bnStatistics: 'joint' }), 'resnet10-joint');
    report('resnet10 float64 sgd, joint BN statistics', r);
    expectParity(r, 1e-4);
  }, 600_000);

  it('GroupNorm (8 groups) + weight standardisation, ResNet-10 widths 16-128, batch 4 x 1 x 32^3, SGD: all within 1e-4', async () => {
    const r = await runParity({
      ...tiny(),
      encoder: resnetPreset(10, { widths: [16, 32, 64, 128], norm: { kind: 'group', groups: 8 } }),
      inputShape: [1, 32, 32, 32],
    }, 'resnet10-gn-ws');
    report('resnet10 float64 sgd, GroupNorm + WS', r);
    // no running statistics in the encoder; 3 head BNs (online projector and predictor, target projector) x 2
    expect([...r.errors.keys()].filter((k) => /running_(mean|var)$/.test(k))).toHaveLength(3 * 2);
    expectParity(r, 1e-4);
    // GroupNorm does not remove a per-channel bias: the downsample conv biases get real gradients
    expect(r.structurallyZero.some((n) => n.includes('downsample'))).toBe(false);
    expect([...r.errors.keys()].some((k) => k.startsWith('grad.') && k.includes('downsample.0.bias'))).toBe(true);
  }, 900_000);

  it('LARS (decay and trust ratio, biases/norms excluded) and AdamW on a narrow ResNet-18: all within 1e-4', async () => {
    const r = await runParity(narrow(), 'narrow-lars-adamw', [{ type: 'adamw', betas: [0.9, 0.999], eps: 1e-8 }]);
    report('narrow resnet18 float64 lars + adamw', r);
    expect([...r.errors.keys()].some((k) => k.startsWith('adamw:new.state.') && k.endsWith('.exp_avg_sq'))).toBe(true);
    expectParity(r, 1e-4);
  }, 1_800_000);

  // float32 rounds inputs and every op to ~6e-8; a step of a deep net amplifies that to ~1e-5..1e-4 on some
  // gradients (measured with joint statistics at batch 4: up to 1.5e-4 on a downsample conv weight). What is
  // asserted here is what float32 reaches: loss 1e-5, every tensor 1e-3; the structurally-zero gradients
  // (reference ~1e-17) are float32 noise, checked in absolute terms against the global gradient norm instead.
  // Batch 8 per view: with per-view statistics a batch of 4 leaves 4 values per channel in layer4's BNs (1^3) and
  // the heads' BNs, which scales every gradient below them down through cancellation; PyTorch's own float32 step
  // (reference/byol_reference.py ... float32) is then 4e-3 off its float64 step on layer1 gradients, as is ours.
  // At batch 8 PyTorch float32 measured 3e-5 and this graph 2e-5.
  it('float32 graph, batch 8 per view: loss within 1e-5; every tensor within 1e-3, and the ones above 1e-4 are listed', async () => {
    const r = await runParity(narrow({ dtype: 'float32', optimizer: { type: 'sgd', momentum: 0.9 }, batch: 8 }), 'narrow-f32');
    report('narrow resnet18 float32 sgd', r);
    for (const [n, v] of r.zeroGradNorms) {
      expect(n).toMatch(ZERO_GRAD);
      expect(v).toBeLessThan(1e-5 * r.gradNorm);
      r.errors.delete(n);
    }
    const above = [...r.errors].filter(([, e]) => e >= 1e-4).map(([k, e]) => `${k} ${e.toExponential(2)}`);
    console.log(`float32: ${above.length} of ${r.errors.size} tensors at or above 1e-4${above.length ? `:\n  ${above.join('\n  ')}` : ''}`);
    expect(r.loss.rel).toBeLessThan(1e-5);
    expect([...r.errors].filter(([, e]) => !(e < 1e-3))).toEqual([]);
  }, 1_800_000);

  // Every conv formulation the autotuner may choose (ops/conv-plan.ts), forced in turn for every conv it applies to,
  // against the same PyTorch float64 reference: float32 (NCHWc and the batched Gemm are float32-only), the tolerances
  // of the float32 test above. ResNet-10 at 24^3 without the max-pool: channels in NCHWc blocks, C*27 >= 512 for the
  // batched Gemm (layer3 at 3^3, layer4 at 2^3), and 8 x 8 values per channel and view in the deepest BN.
  it('float32, each conv formulation forced in turn: loss within 1e-5, every tensor within 1e-3', async () => {
    const forms: ConvVariant[] = [
      ...(['conv', 'batched-gemm', 'im2col-matmul', 'nchwc', 'depth-2d'] as const).map((f) => ({ label: `forward=${f}`, conv: { forward: f } })),
      ...(['conv-flipped', 'flipped-gemm', 'flipped-matmul', 'conv-transpose', 'subpixel', 'nchwc', 'gemm-col2im'] as const).map((f) => ({ label: `input=${f}`, conv: { input: f } })),
      ...(['im2col-gemm', 'im2col-conv', 'conv-nc', 'nchwc-nc'] as const).map((f) => ({ label: `weight=${f}`, conv: { weight: f } })),
    ];
    const cfg = tiny({ encoder: resnetPreset(10, { widths: [16, 16, 32, 32], noMaxPool: true }), inputShape: [1, 24, 24, 24], batch: 8, dtype: 'float32' });
    const r = await runParity(cfg, 'forms-f32', [], 7, forms);
    report('resnet10 float32, forced conv formulations', r);
    for (const [n, v] of r.zeroGradNorms) {
      expect(n).toMatch(ZERO_GRAD);
      expect(v).toBeLessThan(1e-5 * r.gradNorm);
      r.errors.delete(n);
    }
    for (const f of forms) {
      const mine = [...r.errors].filter(([k]) => k.startsWith(`${f.label}:`));
      expect(mine.length, f.label).toBeGreaterThan(50);
      expect(r.errors.get(`${f.label}:loss`), f.label).toBeLessThan(1e-5);
      expect(mine.filter(([, e]) => !(e < 1e-3)), f.label).toEqual([]);
    }
  }, 1_800_000);
});
