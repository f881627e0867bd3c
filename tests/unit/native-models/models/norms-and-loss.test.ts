// GroupNorm, weight standardisation and the BYOL loss: gradients by central differences (autodiff/grad-check.ts,
// float64) and forward values against direct computations.
import { describe, expect, it } from 'vitest';
import { gradCheck } from '../../../../native-models/autodiff/grad-check.js';
import { GraphBuilder } from '../../../../native-models/ops/builder.js';
import type { Value } from '../../../../native-models/ir/graph.js';
import { ParamSource, type ModelContext } from '../../../../native-models/models/params.js';
import { byolLoss } from '../../../../native-models/models/byol.js';
import { groupNorm, standardiseWeight } from '../../../../native-models/models/norms.js';
import { GraphSession } from '../../../../native-models/runtime/session.js';

function ctxWith(g: GraphBuilder, given: Record<string, Value>): ModelContext {
  const p = new ParamSource(g, 'float64', 'input');
  for (const [k, v] of Object.entries(given)) p.values.set(k, v);
  return { g, p, training: true, bnEps: 1e-5, bnMomentum: 0.1 };
}

describe('GroupNorm + weight standardisation', () => {
  it('passes a float64 gradient check through x, gamma, beta and the standardised weight', async () => {
    const res = await gradCheck({
      inputs: [
        { name: 'x', shape: [2, 4, 3, 2, 2] },
        { name: 'gamma', shape: [4] },
        { name: 'beta', shape: [4] },
        { name: 'w', shape: [4, 4, 1, 1, 1] },
      ],
      build: (g, [x, gamma, beta, w]) => {
        const ctx = ctxWith(g, { 'gn.weight': gamma, 'gn.bias': beta });
        const ws = standardiseWeight(ctx, w);
        return groupNorm(ctx, g.op.conv(x, ws, undefined, { kernel_shape: [1, 1, 1] }), 'gn', 2);
      },
    });
    for (const r of res) expect(r.ok, `${r.input}: ${r.error} > ${r.tolerance}`).toBe(true);
  });

  it('normalises each (sample, group) to zero mean and unit variance before the affine', async () => {
    const g = new GraphBuilder('gn');
    const x = g.input('x', 'float64', [2, 4, 3, 1, 1]);
    const ones = g.constant({ dtype: 'float64', dims: [4], data: Float64Array.from([1, 1, 1, 1]) });
    const zeros = g.constant({ dtype: 'float64', dims: [4], data: new Float64Array(4) });
    g.output(groupNorm(ctxWith(g, { 'gn.weight': ones, 'gn.bias': zeros }), x, 'gn', 2, 0), 'y');
    const s = await GraphSession.create(g.build());
    const data = Float64Array.from({ length: 24 }, (_, i) => Math.sin(i * 1.7) * (i + 1));
    const y = (await s.run({ x: { dtype: 'float64', dims: [2, 4, 3, 1, 1], data } })).y.data as Float64Array;
    for (let grp = 0; grp < 4; grp++) {
      const v = Array.from(y.subarray(grp * 6, grp * 6 + 6));
      const m = v.reduce((a, b) => a + b, 0) / 6;
      const q = v.reduce((a, b) => a + (b - m) ** 2, 0) / 6;
      expect(Math.abs(m)).toBeLessThan(1e-12);
      expect(q).toBeCloseTo(1, 10);
    }
  });
});

describe('BYOL loss', () => {
  it('equals mean over pairs of (2 - 2 cos(q1, z2)) + (2 - 2 cos(q2, z1)) and passes a gradient check', async () => {
    const g = new GraphBuilder('loss');
    const q = g.input('q', 'float64', [4, 3]);
    const z = g.input('z', 'float64', [4, 3]);
    g.output(byolLoss(ctxWith(g, {}), q, z), 'loss');
    const s = await GraphSession.create(g.build());
    const qd = Float64Array.from([1, 2, 3, -1, 0.5, 2, 0, 1, 1, 3, -2, 1]);
    const zd = Float64Array.from([2, 0, 1, 1, 1, 1, -1, 2, 0, 0.5, 0.5, -3]);
    const out = Number((await s.run({ q: { dtype: 'float64', dims: [4, 3], data: qd }, z: { dtype: 'float64', dims: [4, 3], data: zd } })).loss.data[0]);
    const row = (a: Float64Array, i: number) => Array.from(a.subarray(3 * i, 3 * i + 3));
    const cos = (a: number[], b: number[]) => a.reduce((s2, v, i) => s2 + v * b[i], 0) / Math.hypot(...a) / Math.hypot(...b);
    const expected = ((2 - 2 * cos(row(qd, 0), row(zd, 2))) + (2 - 2 * cos(row(qd, 2), row(zd, 0))) + (2 - 2 * cos(row(qd, 1), row(zd, 3))) + (2 - 2 * cos(row(qd, 3), row(zd, 1)))) / 2;
    expect(out).toBeCloseTo(expected, 12);
    const res = await gradCheck({ inputs: [{ name: 'q', shape: [4, 3] }, { name: 'z', shape: [4, 3] }], build: (gb, [a, b]) => byolLoss(ctxWith(gb, {}), a, b) });
    for (const r of res) expect(r.ok, `${r.input}: ${r.error}`).toBe(true);
  });
});
