// Small-volume convs lowered to one batched Gemm (or a per-sample MatMul of the same columns): chosen only where it
// pays (tiny output volume, C*K >= 512, float32, static batch >= 2) and numerically equal to ORT's Conv kernel.
import { describe, expect, it } from 'vitest';
import { makeRandom } from '../../../../native-models/autodiff/grad-check.js';
import { GraphBuilder } from '../../../../native-models/ops/builder.js';
import { tensor } from '../../../../native-models/ir/tensor.js';
import type { ConvAttrs } from '../../../../native-models/ops/conv-attrs.js';
import { GraphSession } from '../../../../native-models/runtime/session.js';

const CASES: [string, number[], number[], ConvAttrs][] = [
  ['3^3 s1 p1 at 2^3', [3, 64, 2, 2, 2], [32, 64, 3, 3, 3], { pads: [1, 1, 1, 1, 1, 1] }],
  ['3^3 s2 p1 to 2^3', [2, 32, 4, 4, 3], [16, 32, 3, 3, 3], { strides: [2, 2, 2], pads: [1, 1, 1, 1, 1, 1] }],
];

describe('conv as one batched Gemm', () => {
  for (const [name, xs, ws, attrs] of CASES) for (const form of ['batched-gemm', 'im2col-matmul'] as const) {
    it(`${name}, ${form}: lowered and equal to the Conv kernel`, async () => {
      const r = makeRandom(9);
      const rnd = (d: number[]) => tensor('float32', d, Array.from({ length: d.reduce((a, b) => a * b, 1) }, () => r.normal()));
      const feeds = { x: rnd(xs), w: rnd(ws), b: rnd([ws[0]]) };
      const run = async (lowered: boolean) => {
        const g = new GraphBuilder('bg');
        g.convOptions = { forward: form };
        const x = g.input('x', 'float32', xs);
        const w = g.input('w', 'float32', ws);
        const b = g.input('b', 'float32', [ws[0]]);
        const y = lowered ? g.op.conv(x, w, b, attrs) : g.emit('Conv', [x, w, b], { ...attrs })[0];
        g.output(y, 'y');
        const graph = g.build();
        const s = await GraphSession.create(graph);
        return { y: (await s.run(feeds)).y, types: graph.nodes.map((n) => n.opType), shape: y.shape };
      };
      const a = await run(true);
      const b = await run(false);
      expect(a.types).toContain(form === 'batched-gemm' ? 'Gemm' : 'MatMul');
      expect(a.shape).toEqual(b.shape);
      expect(a.y.dims).toEqual(b.y.dims);
      const p = a.y.data as Float32Array;
      const q = b.y.data as Float32Array;
      for (let i = 0; i < p.length; i++) expect(Math.abs(p[i] - q[i])).toBeLessThan(1e-4 * (1 + Math.abs(q[i])));
    });
  }

  it('keeps the Conv kernel for large volumes, few channels, batch 1 or symbolic batch', () => {
    const g = new GraphBuilder('keep');
    const conv = (xs: (number | string)[], ws: number[]) => g.op.conv(g.input(`x${xs.join('_')}`, 'float32', xs), g.input(`w${xs.join('_')}`, 'float32', ws), undefined, { pads: [1, 1, 1, 1, 1, 1] }).producer!.opType;
    expect(conv([2, 64, 8, 8, 8], [64, 64, 3, 3, 3])).toBe('Conv');
    expect(conv([2, 4, 2, 2, 2], [8, 4, 3, 3, 3])).toBe('Conv');
    expect(conv([1, 64, 2, 2, 2], [64, 64, 3, 3, 3])).toBe('Conv');
    expect(conv(['n', 64, 2, 2, 2], [64, 64, 3, 3, 3])).toBe('Conv');
  });

  it('its backward takes the input-gradient formulation forced through gradients(), as a plain Conv does', async () => {
    const { gradients } = await import('../../../../native-models/autodiff/gradients.js');
    const types = (input: 'conv-transpose' | 'gemm-col2im') => {
      const g = new GraphBuilder('forced');
      g.convOptions = { forward: 'batched-gemm' };
      const x = g.input('x', 'float32', [3, 64, 2, 2, 2]), w = g.input('w', 'float32', [32, 64, 3, 3, 3]);
      const y = g.op.conv(x, w, undefined, { pads: [1, 1, 1, 1, 1, 1] });
      expect(y.producer!.opType).not.toBe('Conv');
      g.output(gradients(g, g.op.reduceSum(y, undefined, { keepdims: 0 }), [x], { conv: { input } })[0], 'dx');
      return g.build().nodes.map((n) => n.opType);
    };
    expect(types('conv-transpose')).toContain('ConvTranspose');
    expect(types('gemm-col2im')).not.toContain('ConvTranspose');
  });
});

describe('the formulations\' own Convs are not lowered again', () => {
  it('conv-nc weight gradient (dy as a large kernel over a tiny output) builds and equals im2col-gemm', async () => {
    // conv-nc's Conv has output 3^3 and C*K = N * 8^3 >= 512: before the kernel-volume limit it qualified for the
    // lowering, whose own identity-kernel im2col qualified again, without end (bench conv-grad crashed there)
    const { gradients } = await import('../../../../native-models/autodiff/gradients.js');
    const r = makeRandom(4);
    const xs = [2, 4, 8, 8, 8], ws = [4, 4, 3, 3, 3];
    const rnd = (d: number[]) => tensor('float32', d, Array.from({ length: d.reduce((a, b) => a * b, 1) }, () => r.normal()));
    const feeds = { x: rnd(xs), w: rnd(ws), dy: rnd([2, 4, 8, 8, 8]) };
    const dw = async (weight: 'conv-nc' | 'im2col-gemm') => {
      const g = new GraphBuilder('nc');
      const x = g.input('x', 'float32', xs), w = g.input('w', 'float32', ws), dy = g.input('dy', 'float32', [2, 4, 8, 8, 8]);
      const loss = g.op.reduceSum(g.op.mul(g.op.conv(x, w, undefined, { pads: [1, 1, 1, 1, 1, 1] }), dy), undefined, { keepdims: 0 });
      g.output(gradients(g, loss, [w], { conv: { weight } })[0], 'dw');
      const graph = g.build();
      if (weight === 'conv-nc') expect(graph.nodes.map((n) => n.opType)).not.toContain('Gemm');
      const s = await GraphSession.create(graph);
      return (await s.run(feeds)).dw.data as Float32Array;
    };
    const a = await dw('conv-nc'), b = await dw('im2col-gemm');
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-3 * (1 + Math.abs(b[i])));
  });
});
