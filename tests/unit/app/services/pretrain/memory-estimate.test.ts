// The pretrain memory estimate against the peak RSS measured by `npm run bench -- pretrain-memory --fit` (AMD EPYC
// Zen 2, ORT 1.30 CPU, 2 threads, the whole service process; the figures memory-estimate.ts was fitted to): never
// below a measured peak (a refusal must not let an out-of-memory through), and at most 20 % above it. Also: a
// configuration that cannot fit is marked so against the memory available.
import { describe, expect, it } from 'vitest';
import { estimateMemory, resolveConfig } from '../../../../../app/services/pretrain/index.js';
import type { PretrainOptions } from '../../../../../app/contract/types/runs.js';

const FACTS = { cores: 2, availableMb: 20_000, gpu: false, series: 1, extentMm: null };
const MEASURED: [PretrainOptions, number][] = [
  [{ arch: 'resnet10', input: 32, batch: 16, norm: 'batch' }, 948],
  [{ arch: 'resnet10', input: 64, batch: 8, norm: 'batch' }, 1529],
  [{ arch: 'resnet18', input: 48, batch: 8, norm: 'batch' }, 1576],
  [{ arch: 'resnet18', input: 64, batch: 4, norm: 'group' }, 1755],
  [{ arch: 'resnet34', input: 32, batch: 8, norm: 'batch' }, 2625],
  [{ arch: 'resnet50', input: 32, batch: 4, norm: 'batch' }, 1946],
  // the small pretrain-quality configuration (bench pretrain-quality, its service process's peak)
  [{ arch: 'resnet10', input: 16, batch: 16, norm: 'batch', widths: [8, 16, 32, 64], heads: { projHidden: 64, projOut: 32, predHidden: 64 }, optimizer: 'adamw' }, 344],
];

describe('estimateMemory', () => {
  it.each(MEASURED)('%o: at or above the measured peak of %d MB, within 20 %', (options, measuredMb) => {
    const { config } = resolveConfig({ ...options, steps: 3 }, FACTS);
    const e = estimateMemory(config, FACTS.availableMb);
    expect(e.peakMb).toBe(e.baseMb + e.parametersMb + e.activationsMb);
    expect(e.peakMb).toBeGreaterThanOrEqual(measuredMb);
    expect(e.peakMb).toBeLessThanOrEqual(measuredMb * 1.2);
  });

  it('says whether it fits in the memory available', () => {
    const { config } = resolveConfig({ arch: 'resnet10', input: 32, batch: 16, steps: 3 }, FACTS);
    expect(estimateMemory(config, 4000).fits).toBe(true);
    expect(estimateMemory(config, 900).fits).toBe(false);
  });
});
