// Training BatchNorm with per-view statistics (models/batch-norm-views.ts through models/norms.ts batchNorm with
// ctx.bnViews = 2) and with joint statistics (bnViews = 1): outputs and running statistics against a direct
// float64 computation of torch.nn.BatchNorm's training semantics (per view: two forwards in sequence, one momentum
// update each), and a float64 gradient check of the per-view region through x, gamma, beta and its statistics.
import { describe, expect, it } from 'vitest';
import { gradCheck } from '../../../../native-models/autodiff/grad-check.js';
import { GraphBuilder } from '../../../../native-models/ops/builder.js';
import { ParamSource } from '../../../../native-models/models/params.js';
import { batchNorm } from '../../../../native-models/models/norms.js';
import { batchNormViews } from '../../../../native-models/models/batch-norm-views.js';
import { GraphSession } from '../../../../native-models/runtime/session.js';
import type { TensorData } from '../../../../native-models/ir/tensor.js';

const f64 = (dims: number[], data: ArrayLike<number>): TensorData => ({ dtype: 'float64', dims, data: Float64Array.from(data) });
const wave = (n: number, k: number, off = 0): number[] => Array.from({ length: n }, (_, i) => Math.sin(i * k + off) * (1 + (i % 5)) + 0.3 * off);

/**
 * torch.nn.BatchNorm (training, momentum m, eps) applied to each of `views` consecutive sample groups of x [B, C, S]
 * in turn: y per group from the group's biased statistics; running stats updated once per group with the unbiased
 * variance.
 */
function reference(x: number[], B: number, C: number, S: number, views: number, gamma: number[], beta: number[], rm0: number[], rv0: number[], m: number, eps: number) {
  const y = new Array<number>(x.length).fill(0);
  const rm = [...rm0];
  const rv = [...rv0];
  const N = B / views;
  for (let v = 0; v < views; v++) {
    for (let c = 0; c < C; c++) {
      const vals: number[] = [];
      for (let b = v * N; b < (v + 1) * N; b++) for (let s = 0; s < S; s++) vals.push(x[(b * C + c) * S + s]);
      const n = vals.length;
      const mean = vals.reduce((a, t) => a + t, 0) / n;
      const varB = vals.reduce((a, t) => a + (t - mean) ** 2, 0) / n;
      for (let b = v * N; b < (v + 1) * N; b++)
        for (let s = 0; s < S; s++) {
          const i = (b * C + c) * S + s;
          y[i] = ((x[i] - mean) / Math.sqrt(varB + eps)) * gamma[c] + beta[c];
        }
      rm[c] = (1 - m) * rm[c] + m * mean;
      rv[c] = (1 - m) * rv[c] + m * varB * (n / (n - 1));
    }
  }
  return { y, rm, rv };
}

async function runBatchNorm(dims: number[], views: number, variance: 'one-pass' | 'two-pass' = 'one-pass') {
  const [B, C, ...sp] = dims;
  const S = sp.reduce((a, d) => a * d, 1);
  const g = new GraphBuilder('bn');
  const p = new ParamSource(g, 'float64', 'input');
  const x = g.input('x', 'float64', dims);
  const ctx = { g, p, training: true, bnEps: 1e-5, bnMomentum: 0.1, bnViews: views, bnVariance: variance };
  g.output(batchNorm(ctx, x, 'bn'), 'y');
  for (const [k, v] of p.updates) g.output(v, `new.${k}`);
  const s = await GraphSession.create(g.build());
  const xd = wave(B * C * S, 0.7).map((t, i) => t + (i % (C * S) < S ? 3 : 0)); // channel 0 offset
  // the two views differ in mean and spread, so per-view and joint statistics differ
  for (let i = (B / 2) * C * S; i < xd.length; i++) xd[i] = 2 * xd[i] - 1;
  const gamma = wave(C, 1.3, 1).map((t) => 1 + 0.1 * t);
  const beta = wave(C, 0.9, 2).map((t) => 0.1 * t);
  const rm = wave(C, 0.4, 3).map((t) => 0.1 * t);
  const rv = wave(C, 0.5, 4).map((t) => 1 + 0.05 * Math.abs(t));
  const out = await s.run({
    x: f64(dims, xd), 'bn.weight': f64([C], gamma), 'bn.bias': f64([C], beta), 'bn.running_mean': f64([C], rm), 'bn.running_var': f64([C], rv),
  });
  await s.release();
  return { out, ref: reference(xd, B, C, S, views, gamma, beta, rm, rv, 0.1, 1e-5) };
}

function maxRel(a: ArrayLike<number>, b: number[]): number {
  let d = 0;
  let n = 0;
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs(Number(a[i]) - b[i]));
    n = Math.max(n, Math.abs(b[i]));
  }
  return d / n;
}

describe('training BatchNorm, per-view and joint statistics', () => {
  for (const [label, dims] of [['5-D [2N, C, D, H, W]', [6, 3, 2, 3, 2]], ['2-D [2N, C] (BYOL heads)', [8, 5]]] as const) {
    it(`${label}: per view equals two torch-style forwards in sequence (output, running mean and var)`, async () => {
      for (const variance of ['one-pass', 'two-pass'] as const) {
        const { out, ref } = await runBatchNorm([...dims], 2, variance);
        expect(maxRel(out.y.data as Float64Array, ref.y)).toBeLessThan(1e-12);
        expect(maxRel(out['new.bn.running_mean'].data as Float64Array, ref.rm)).toBeLessThan(1e-12);
        expect(maxRel(out['new.bn.running_var'].data as Float64Array, ref.rv)).toBeLessThan(1e-12);
      }
    });

    it(`${label}: joint statistics equal one torch-style forward over the whole batch, and differ from per view`, async () => {
      const joint = await runBatchNorm([...dims], 1);
      const perView = await runBatchNorm([...dims], 2);
      expect(maxRel(joint.out.y.data as Float64Array, joint.ref.y)).toBeLessThan(1e-12);
      expect(maxRel(joint.out['new.bn.running_mean'].data as Float64Array, joint.ref.rm)).toBeLessThan(1e-12);
      expect(maxRel(joint.out['new.bn.running_var'].data as Float64Array, joint.ref.rv)).toBeLessThan(1e-12);
      expect(maxRel(joint.out.y.data as Float64Array, perView.ref.y)).toBeGreaterThan(1e-2);
    });
  }

  it('three views: each view normalised alone, three momentum updates', async () => {
    const { out, ref } = await runBatchNorm([6, 2, 4], 3);
    expect(maxRel(out.y.data as Float64Array, ref.y)).toBeLessThan(1e-12);
    expect(maxRel(out['new.bn.running_mean'].data as Float64Array, ref.rm)).toBeLessThan(1e-12);
    expect(maxRel(out['new.bn.running_var'].data as Float64Array, ref.rv)).toBeLessThan(1e-12);
  });

  it('rejects a batch that is not equal views, and a view with one value per channel', () => {
    const g = new GraphBuilder('bad');
    const p = new ParamSource(g, 'float64', 'input');
    const ctx = { g, p, training: true, bnEps: 1e-5, bnMomentum: 0.1, bnViews: 2 };
    expect(() => batchNorm(ctx, g.input('x', 'float64', [3, 4, 2, 2, 2]), 'a')).toThrow(/not 2 equal views/);
    expect(() => batchNorm(ctx, g.input('h', 'float64', [2, 4]), 'b')).toThrow(/more than 1 value per channel and view/);
  });

  for (const variance of ['one-pass', 'two-pass'] as const) {
    it(`per-view region (${variance}) passes a float64 gradient check through x, gamma, beta, mean and variance`, async () => {
      for (const shape of [[4, 3, 2, 2, 3], [6, 4]]) {
        const c = shape[1];
        const res = await gradCheck({
          inputs: [
            { name: 'x', shape },
            { name: 'gamma', shape: [c], sample: (r) => 1 + 0.3 * r() },
            { name: 'beta', shape: [c] },
          ],
          build: (g, [x, gamma, beta]) => {
            const r = batchNormViews(g, x, gamma, beta, 2, { variance });
            return [r.y, r.mean, r.variance];
          },
        });
        for (const r of res) expect(r.ok, `${shape} ${r.input}: ${r.error} > ${r.tolerance}`).toBe(true);
      }
    });
  }
});
