// The Pretrain screen's pure helpers: the form's text fields to PretrainOptions (empty = default, bad values named),
// the collapse monitor's verdict, which runs can be resumed, and the alignment of two runs' curves on one step axis.
import { describe, expect, it } from 'vitest';
import { canResume, collapseVerdict, EMPTY_FORM, formatMb, formOptions } from '../../../../../renderer/src/sections/pretrain/run-view.js';
import { alignLines, smooth } from '../../../../../renderer/src/sections/pretrain/chart-data.js';
import type { RunRecord } from '../../../../../app/contract/types/runs.js';

describe('form options', () => {
  it('leaves empty fields to the defaults and parses the rest', () => {
    expect(formOptions(EMPTY_FORM)).toEqual({ options: {}, errors: {} });
    const r = formOptions({ ...EMPTY_FORM, arch: 'resnet18', input: '48', spacing: '2.5', batch: '8', steps: '300', optimizer: 'adamw', lr: '3e-4', seed: '7', widths: '8, 8, 16, 16', heads: '32,8,32', checkpointEvery: '50' });
    expect(r.errors).toEqual({});
    expect(r.options).toEqual({ arch: 'resnet18', input: 48, spacing: 2.5, batch: 8, steps: 300, optimizer: 'adamw', lr: 3e-4, seed: 7, widths: [8, 8, 16, 16], heads: { projHidden: 32, projOut: 8, predHidden: 32 }, checkpointEvery: 50 });
  });

  it('names every bad field and sends none of them', () => {
    const r = formOptions({ ...EMPTY_FORM, input: '4', batch: 'eight', lr: '-1', widths: '8,8,16', steps: '2.5' });
    expect(Object.keys(r.errors).sort()).toEqual(['batch', 'input', 'lr', 'steps', 'widths']);
    expect(r.options).toEqual({});
    expect(r.errors.widths).toMatch(/4 whole numbers/);
  });
});

describe('run figures', () => {
  it('calls the projections collapsing below a fifth of 1/sqrt(d)', () => {
    expect(collapseVerdict(0.06, 256).level).toBe('ok'); // healthy 0.0625
    expect(collapseVerdict(0.01, 256)).toMatchObject({ level: 'warn', text: expect.stringMatching(/collapsing/) });
    expect(collapseVerdict(null, 256).level).toBe('unknown');
    expect(formatMb(512)).toBe('512 MB');
    expect(formatMb(3072)).toBe('3.00 GB');
  });

  it('offers resume for stopped runs with data and steps left', () => {
    const run = (state: RunRecord['state'], step = 5, data: object | null = {}) => ({ state, step, totalSteps: 10, data }) as RunRecord;
    expect(canResume(run('interrupted'))).toBe(true);
    expect(canResume(run('cancelled'))).toBe(true);
    expect(canResume(run('done', 10))).toBe(false);
    expect(canResume(run('running'))).toBe(false);
    expect(canResume(run('failed', 5, null))).toBe(false);
  });
});

describe('chart data', () => {
  it('aligns two runs on the union of their steps, with gaps', () => {
    const a = { label: 'a', x: [1, 2, 3], y: [3, 2, 1] };
    const b = { label: 'b', x: [2, 4], y: [5, NaN] };
    expect(alignLines([a, b])).toEqual([[1, 2, 3, 4], [3, 2, 1, null], [null, 5, null, null]]);
    expect(alignLines([a])).toEqual([[1, 2, 3], [3, 2, 1]]);
  });

  it('smooths with a trailing mean', () => {
    expect(smooth([1, 3, 5, 7], 2)).toEqual([1, 2, 4, 6]);
  });
});

describe('axis ticks', () => {
  it('writes small values (learning rates) exponentially, the rest plainly', async () => {
    const { axisValue } = await import('../../../../../renderer/src/sections/pretrain/chart-data.js');
    expect([0, 3e-4, 0.0125, 2.5, 0.99, 1234].map(axisValue)).toEqual(['0', '3.0e-4', '0.0125', '2.5', '0.99', '1234']);
  });

  it('gives neighbouring ticks enough digits to differ', async () => {
    const { axisValues } = await import('../../../../../renderer/src/sections/pretrain/chart-data.js');
    expect(axisValues([0.99, 0.995, 1])).toEqual(['0.990', '0.995', '1.000']);
    expect(axisValues([0.99, 0.99002, 0.99004])).toEqual(['0.99000', '0.99002', '0.99004']);
    expect(axisValues([1, 2, 3])).toEqual(['1', '2', '3']);
    expect(axisValues([2.5, 3, 3.5])).toEqual(['2.5', '3.0', '3.5']);
    expect(axisValues([0, 5e-4, 1e-3])).toEqual(['0', '5.0e-4', '1.0e-3']);
    expect(axisValues([1e-4, 1.1e-4, 1.2e-4])).toEqual(['1.00e-4', '1.10e-4', '1.20e-4']);
    expect(axisValues([7])).toEqual(['7']);
  });
});
