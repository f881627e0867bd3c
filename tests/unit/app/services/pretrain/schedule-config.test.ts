// Schedules (BYOL: warm-up then cosine learning rate; cosine tau from tau_base to 1) against their closed forms at
// hand-computed points, and the run configuration's defaults: sized to the machine (cores, GPU) and the data
// (extent), GroupNorm for small batches, LARS's batch-scaled learning rate, epochs turned into steps.
import { describe, expect, it } from 'vitest';
import { defaultTauBase, learningRateAt, resolveConfig, tauAt, type PlanFacts } from '../../../../../app/services/pretrain/index.js';

const facts = (over: Partial<PlanFacts> = {}): PlanFacts => ({ cores: 2, availableMb: 16000, gpu: false, series: 50, extentMm: 180, ...over });

describe('schedules', () => {
  it('warms up linearly, then decays by a half cosine to 0', () => {
    expect(learningRateAt(0, 100, 1, 10)).toBeCloseTo(0.1, 15);
    expect(learningRateAt(9, 100, 1, 10)).toBeCloseTo(1, 15);
    expect(learningRateAt(10, 100, 1, 10)).toBeCloseTo(1, 15);
    expect(learningRateAt(55, 100, 1, 10)).toBeCloseTo(0.5, 15); // half-way through the decay: (1 + cos(pi/2)) / 2
    expect(learningRateAt(40, 100, 2, 10)).toBeCloseTo(2 * (1 + Math.cos(Math.PI / 3)) / 2, 15);
    expect(learningRateAt(100, 100, 1, 10)).toBeCloseTo(0, 15);
    expect(learningRateAt(0, 100, 1, 0)).toBeCloseTo(1, 15);
  });

  it('moves tau from tau_base to 1 on a cosine; 0.99 for short runs, 0.996 for long ones', () => {
    expect(tauAt(0, 1000, 0.996)).toBeCloseTo(0.996, 15);
    expect(tauAt(500, 1000, 0.996)).toBeCloseTo(0.998, 15);
    expect(tauAt(1000, 1000, 0.99)).toBeCloseTo(1, 15);
    expect(tauAt(250, 1000, 0.99)).toBeCloseTo(1 - 0.01 * (Math.cos(Math.PI / 4) + 1) / 2, 15);
    expect(defaultTauBase(600)).toBe(0.99);
    expect(defaultTauBase(100_000)).toBe(0.996);
  });
});

describe('run configuration defaults', () => {
  it('sizes a small CPU run like DESIGN\'s reference (ResNet-10, 32^3 at 2 mm, batch 16, LARS)', () => {
    const { config, notes } = resolveConfig({}, facts());
    expect(config).toMatchObject({ arch: 'resnet10', input: [32, 32, 32], batch: 16, bnStatistics: 'per-view', threads: 2, loaderWorkers: 1 });
    expect(config.preprocess.spacing).toEqual([2, 2, 2]);
    expect(config.resnet).toMatchObject({ block: 'basic', layers: [1, 1, 1, 1], widths: [64, 128, 256, 512], norm: { kind: 'batch' }, conv1Stride: 2 });
    expect(config.optimizer).toEqual({ type: 'lars', momentum: 0.9, eta: 1e-3 });
    expect(config.lr).toBeCloseTo(0.2 * 16 / 256, 15);
    expect(config.weightDecay).toBe(1.5e-6);
    expect(config.tauBase).toBe(0.99);
    expect(config.augment.view1.flip).toEqual([0, 0, 0]); // DESIGN §5: flips off by default
    expect(notes.join('\n')).toMatch(/resnet10: 2 CPU cores/);
  });

  it('takes bigger networks on bigger machines and GPUs, and never a box larger than the data', () => {
    expect(resolveConfig({}, facts({ cores: 16 })).config).toMatchObject({ arch: 'resnet18', input: [64, 64, 64], batch: 8 });
    expect(resolveConfig({}, facts({ gpu: true, extentMm: 250 })).config).toMatchObject({ arch: 'resnet18', input: [96, 96, 96] });
    const small = resolveConfig({}, facts({ gpu: true, extentMm: 100 }));
    expect(small.config.input).toEqual([48, 48, 48]);
    expect(small.notes.join('\n')).toMatch(/input 48\^3: the series' median smallest extent is 100 mm/);
  });

  it('uses GroupNorm + weight standardisation below 8 samples per view, and AdamW when asked', () => {
    const { config, notes } = resolveConfig({ batch: 4, optimizer: 'adamw' }, facts());
    expect(config.resnet.norm.kind).toBe('group');
    expect(notes.join('\n')).toMatch(/GroupNorm/);
    expect(config.optimizer).toEqual({ type: 'adamw', betas: [0.9, 0.999], eps: 1e-8, exclude: 'bias_norm' });
    expect(config.lr).toBe(3e-4);
    expect(resolveConfig({ batch: 4, norm: 'batch' }, facts()).config.resnet.norm.kind).toBe('batch');
  });

  it('turns epochs into steps over the series, and refuses both', () => {
    const { config } = resolveConfig({ epochs: 3, batch: 16 }, facts({ series: 50 }));
    expect(config.steps).toBe(Math.ceil(150 / 16));
    expect(config.epochs).toBe(3);
    expect(() => resolveConfig({ epochs: 3, steps: 10 }, facts())).toThrow(/either steps or epochs/);
  });
});
