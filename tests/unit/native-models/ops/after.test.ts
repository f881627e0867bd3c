// ops/where.ts `after(x, dep)`: x unchanged bit for bit (every value, -0, NaN and infinities, a scalar, a symbolic
// batch at two sizes, a NaN in dep), and the graph makes it wait for dep: dep's producer is an ancestor of the
// result, so ORT cannot run it earlier.
import { describe, expect, it } from 'vitest';
import { tensor, type TensorData } from '../../../../native-models/ir/tensor.js';
import { GraphBuilder } from '../../../../native-models/ops/builder.js';
import { after } from '../../../../native-models/ops/where.js';
import { GraphSession } from '../../../../native-models/runtime/session.js';
import type { Node, Value } from '../../../../native-models/ir/graph.js';

function ancestors(v: Value): Set<Node> {
  const seen = new Set<Node>();
  const stack = v.producer ? [v.producer] : [];
  while (stack.length) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    for (const i of n.inputs) if (i?.producer) stack.push(i.producer);
  }
  return seen;
}

async function runAfter(xShape: (number | string)[], feeds: Record<string, TensorData>): Promise<{ y: TensorData; waits: boolean }> {
  const g = new GraphBuilder('after');
  const x = g.input('x', 'float32', xShape);
  const d = g.input('d', 'float32', [3]);
  const dep = g.op.mul(d, d); // a node the result must wait for
  const y = after(g, x, dep);
  g.output(y, 'y');
  const waits = ancestors(y).has(dep.producer!);
  const s = await GraphSession.create(g.build(), { intraOpNumThreads: 1 });
  const out = await s.run(feeds);
  await s.release();
  return { y: out.y, waits };
}

const values = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + seed) * 10);

describe('after(x, dep)', () => {
  it('gives x unchanged, after dep, for static, scalar and symbolic shapes, whatever dep holds', async () => {
    for (const [shape, dims] of [
      [[2, 3, 4], [2, 3, 4]],
      [[], []],
      [[7], [7]],
      [['n', 5], [3, 5]],
      [['n', 5], [1, 5]],
    ] as [(number | string)[], number[]][]) {
      const n = dims.reduce((a, b) => a * b, 1);
      const x = tensor('float32', dims, values(n, dims.length));
      // signed zeros, NaN and infinities come through bit for bit
      const special = [-0, NaN, -Infinity, 0];
      for (let i = 0; i < Math.min(n, special.length); i++) (x.data as Float32Array)[i] = special[i];
      const { y, waits } = await runAfter(shape, { x, d: tensor('float32', [3], [NaN, Infinity, -1]) });
      expect(waits, `shape ${JSON.stringify(shape)}`).toBe(true);
      expect(y.dims).toEqual(dims);
      const bits = (t: TensorData) => Array.from(new Uint32Array((t.data as Float32Array).slice().buffer));
      expect(bits(y)).toEqual(bits(x));
    }
  });
});
