// Float64 lowering of float32-only ORT kernels: the lowered float64 Conv/AveragePool/GlobalAveragePool agree
// with ORT's float32 kernels (to float32 accuracy), contain no Conv node, and differentiate exactly
// (float64 gradient check at the default tight tolerance).
import { describe, expect, it } from 'vitest';
import { gradCheck, makeRandom } from '../../../../native-models/autodiff/grad-check.js';
import { GraphBuilder } from '../../../../native-models/ops/builder.js';
import type { Value } from '../../../../native-models/ir/graph.js';
import { tensor } from '../../../../native-models/ir/tensor.js';
import { GraphSession } from '../../../../native-models/runtime/session.js';

type Build = (g: GraphBuilder, x: Value, w: Value, b: Value) => Value;
const CASES: [string, Build][] = [
  ['conv 3^3 s1 p1 + bias', (g, x, w, b) => g.op.conv(x, w, b, { pads: [1, 1, 1, 1, 1, 1] })],
  ['conv 3^3 s2 p1 asym', (g, x, w) => g.op.conv(x, w, undefined, { strides: [2, 2, 2], pads: [1, 0, 1, 0, 1, 1] })],
  ['conv 3^3 dilation 2', (g, x, w) => g.op.conv(x, w, undefined, { dilations: [2, 2, 2], pads: [2, 2, 2, 2, 2, 2] })],
  ['average pool 2 s2', (g, x) => g.op.averagePool(x, { kernel_shape: [2, 2, 2], strides: [2, 2, 2] })],
  ['average pool 3 s2 p1 incl pad', (g, x) => g.op.averagePool(x, { kernel_shape: [3, 3, 3], strides: [2, 2, 2], pads: [1, 1, 1, 1, 1, 1], count_include_pad: 1 })],
  ['global average pool', (g, x) => g.op.globalAveragePool(x)],
];

async function run(dtype: 'float32' | 'float64', build: Build) {
  const r = makeRandom(5);
  const data = (n: number) => Array.from({ length: n }, () => r.normal());
  const g = new GraphBuilder(`lower-${dtype}`);
  const x = g.input('x', dtype, [2, 3, 7, 6, 5]);
  const w = g.input('w', dtype, [4, 3, 3, 3, 3]);
  const b = g.input('b', dtype, [4]);
  g.output(build(g, x, w, b), 'y');
  const graph = g.build({ prune: false });
  const s = await GraphSession.create(graph);
  const out = await s.run({ x: tensor(dtype, [2, 3, 7, 6, 5], data(1260)), w: tensor(dtype, [4, 3, 3, 3, 3], data(324)), b: tensor(dtype, [4], data(4)) });
  return { y: out.y, ops: graph.nodes.map((n) => n.opType) };
}

describe('float64 lowering', () => {
  for (const [name, build] of CASES) {
    it(`${name}: matches the float32 kernel and emits no float32-only op`, async () => {
      const a = await run('float32', build);
      const b = await run('float64', build);
      expect(b.y.dims).toEqual(a.y.dims);
      expect(b.ops.some((t) => ['Conv', 'AveragePool', 'GlobalAveragePool'].includes(t))).toBe(false);
      const ya = a.y.data as Float32Array;
      const yb = b.y.data as Float64Array;
      let worst = 0;
      for (let i = 0; i < ya.length; i++) worst = Math.max(worst, Math.abs(ya[i] - yb[i]) / (1 + Math.abs(yb[i])));
      expect(worst).toBeLessThan(1e-5);
    });
  }

  it('differentiates the lowered strided conv exactly (float64 gradient check)', async () => {
    const res = await gradCheck({
      inputs: [{ name: 'x', shape: [2, 2, 5, 6, 5] }, { name: 'w', shape: [3, 2, 3, 3, 3] }, { name: 'b', shape: [3] }],
      build: (g, [x, w, b]) => g.op.conv(x, w, b, { strides: [2, 2, 2], pads: [1, 1, 1, 1, 1, 1] }),
    });
    for (const r of res) expect(r.error, r.input).toBeLessThanOrEqual(r.tolerance);
  });
});
