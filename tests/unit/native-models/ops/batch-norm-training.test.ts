// Training batch norm as a custom-gradient region: forward equals PyTorch-style batch statistics, the fused
// backward passes a float64 gradient check (with gradients also flowing into the mean/variance outputs), it
// matches the op-by-op autodiff of the composed forward, and autodiff refuses gradients into region internals.
import { describe, expect, it } from 'vitest';
import { gradients } from '../../../../native-models/autodiff/gradients.js';
import { gradCheck, makeRandom } from '../../../../native-models/autodiff/grad-check.js';
import { GraphBuilder } from '../../../../native-models/ops/builder.js';
import { tensor } from '../../../../native-models/ir/tensor.js';
import { batchNormTraining } from '../../../../native-models/ops/batch-norm-training.js';
import { GraphSession } from '../../../../native-models/runtime/session.js';

const X = [3, 2, 4, 3, 2];

describe('batchNormTraining (custom-gradient region)', () => {
  for (const variance of ['one-pass', 'two-pass'] as const) {
    it(`${variance}: float64 gradient check of y, mean and variance w.r.t. x, gamma, beta`, async () => {
      const res = await gradCheck({
        inputs: [{ name: 'x', shape: X, sample: (u) => 3 * u() + 1 }, { name: 'gamma', shape: [2] }, { name: 'beta', shape: [2] }],
        build: (g, [x, ga, be]) => {
          const r = batchNormTraining(g, x, ga, be, { epsilon: 1e-3, variance });
          return [r.y, r.mean, r.variance];
        },
      });
      expect(res.map((r) => r.input)).toEqual(['x', 'gamma', 'beta']);
      for (const r of res) expect(r.error, `${r.input} ${r.analytic} ${r.numeric}`).toBeLessThanOrEqual(r.tolerance);
    });
  }

  it('matches the op-by-op gradient of the composed forward and batch statistics', async () => {
    const rnd = makeRandom(3);
    const xs = Array.from({ length: 144 }, () => rnd.normal() * 2 + 0.5);
    const feeds = {
      x: tensor('float64', X, xs),
      gamma: tensor('float64', [2], [1.5, -0.7]),
      beta: tensor('float64', [2], [0.2, 0.1]),
      r: tensor('float64', X, Array.from({ length: 144 }, () => rnd.normal())),
    };
    const run = async (fused: boolean) => {
      const g = new GraphBuilder('bn');
      const x = g.input('x', 'float64', X);
      const ga = g.input('gamma', 'float64', [2]);
      const be = g.input('beta', 'float64', [2]);
      const r = g.input('r', 'float64', X);
      let y;
      let mean;
      if (fused) ({ y, mean } = batchNormTraining(g, x, ga, be));
      else {
        mean = g.op.reduceMean(x, [0, 2, 3, 4], { keepdims: 0 });
        const d = g.op.sub(x, g.op.reshape(mean, [1, 2, 1, 1, 1]));
        const v = g.op.reduceMean(g.op.mul(d, d), [0, 2, 3, 4], { keepdims: 0 });
        y = g.op.batchNormalization(x, ga, be, mean, v, { epsilon: 1e-5 });
      }
      const loss = g.op.reduceSum(g.op.mul(y, r), undefined, { keepdims: 0 });
      const d = gradients(g, loss, [x, ga, be]);
      g.output(y, 'y');
      g.output(mean, 'mean');
      d.forEach((v, i) => g.output(v, `d${i}`));
      const s = await GraphSession.create(g.build());
      return s.run(feeds);
    };
    const a = await run(true);
    const b = await run(false);
    for (const k of ['y', 'mean', 'd0', 'd1', 'd2']) {
      const p = a[k].data as Float64Array;
      const q = b[k].data as Float64Array;
      for (let i = 0; i < p.length; i++) expect(Math.abs(p[i] - q[i]), `${k}[${i}]`).toBeLessThan(1e-10 * (1 + Math.abs(q[i])));
    }
    // mean over N and spatial axes of channel 0
    let m0 = 0;
    for (let nn = 0; nn < 3; nn++) for (let k = 0; k < 24; k++) m0 += xs[nn * 48 + k];
    expect(a.mean.data[0]).toBeCloseTo(m0 / 72, 12);
  });

  it('rejects a gradient into a value internal to the region', () => {
    const g = new GraphBuilder('leak');
    const x = g.input('x', 'float64', X);
    const ga = g.input('gamma', 'float64', [2]);
    const be = g.input('beta', 'float64', [2]);
    batchNormTraining(g, x, ga, be);
    const inner = g.nodes.find((n) => n.opType === 'ReduceSumSquare')!.outputs[0];
    const loss = g.op.reduceSum(inner, undefined, { keepdims: 0 });
    const y = g.nodes.find((n) => n.opType === 'BatchNormalization')!.outputs[0];
    const total = g.op.add(loss, g.op.reduceSum(y, undefined, { keepdims: 0 }));
    expect(() => gradients(g, total, [x])).toThrow(/internal to a custom-gradient region/);
  });
});
