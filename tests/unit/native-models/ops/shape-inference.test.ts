// Shape inference per op, checked against onnxruntime: for every op case (op-cases.ts) the forward graph AND its
// appended gradient graph are built, every node output is made a graph output, and the shape each node was
// given by the registry's inference must equal the shape ORT computes. Symbolic dims are checked separately.
import { describe, expect, it } from 'vitest';
import { gradients } from '../../../../native-models/autodiff/gradients.js';
import { makeRandom } from '../../../../native-models/autodiff/grad-check.js';
import { GraphBuilder } from '../../../../native-models/ops/builder.js';
import type { Value } from '../../../../native-models/ir/graph.js';
import { type TensorData, tensor } from '../../../../native-models/ir/tensor.js';
import { GraphSession } from '../../../../native-models/runtime/session.js';
import { GraphError } from '../../../../native-models/ir/errors.js';
import { CHECKS } from './op-cases.js';

function randomFeed(dtype: Value['dtype'], shape: number[], seed: number): TensorData {
  const r = makeRandom(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(dtype, shape, Array.from({ length: n }, () => 0.5 + r.uniform()));
}

describe('shape inference matches onnxruntime', () => {
  for (const [type, checks] of Object.entries(CHECKS)) {
    checks.forEach((check, k) => {
      const spec = 'nonDifferentiable' in check ? check.nonDifferentiable : 'noGradient' in check ? check.noGradient : check;
      it(`${type} #${k} (forward and gradient nodes)`, async () => {
        const g = new GraphBuilder(`shape-${type}`);
        const dtype = spec.dtype ?? 'float64';
        const ins = spec.inputs.map((c) => g.input(c.name, c.data?.dtype ?? c.dtype ?? dtype, c.shape));
        const built = spec.build(g, ins);
        const outs = Array.isArray(built) ? built : [built];
        const diff = ins.filter((v, i) => spec.inputs[i].diff ?? (!spec.inputs[i].data && (v.dtype === 'float32' || v.dtype === 'float64')));
        if (!('noGradient' in check) && outs.every((o) => o.dtype === 'float32' || o.dtype === 'float64')) {
          const loss = outs.map((o) => g.op.reduceSum(o, undefined, { keepdims: 0 })).reduce((a, b) => g.op.add(a, b));
          gradients(g, loss, diff, { ...spec.options, unconnected: 'nonDifferentiable' in check ? 'zeros' : spec.options?.unconnected });
        }
        const nodeOuts = g.nodes.flatMap((n) => n.outputs);
        for (const v of nodeOuts) g.output(v);
        const s = await GraphSession.create(g.build());
        const feeds: Record<string, TensorData> = {};
        spec.inputs.forEach((c, i) => (feeds[c.name] = c.data ?? randomFeed(ins[i].dtype, c.shape, i + 1)));
        const res = await s.run(feeds);
        for (const v of nodeOuts) {
          expect(res[v.name].dims, `${v.producer?.opType} ${v.name}`).toEqual(v.shape);
          expect(res[v.name].dtype, `${v.producer?.opType} ${v.name}`).toBe(v.dtype);
        }
        await s.release();
      });
    });
  }
});

describe('symbolic dims', () => {
  it('keeps the batch symbol through conv, pools, flatten and gemm, and runs at two batch sizes', async () => {
    const g = new GraphBuilder('sym');
    const x = g.input('x', 'float32', ['n', 1, 8, 8, 8]);
    const w = g.input('w', 'float32', [4, 1, 3, 3, 3]);
    const fc = g.input('fc', 'float32', [3, 4]);
    const c = g.op.relu(g.op.conv(x, w, undefined, { pads: [1, 1, 1, 1, 1, 1], strides: [2, 2, 2] }));
    expect(c.shape).toEqual(['n', 4, 4, 4, 4]);
    const p = g.op.maxPool(c, { kernel_shape: [2, 2, 2], strides: [2, 2, 2] });
    expect(p.shape).toEqual(['n', 4, 2, 2, 2]);
    const gp = g.op.flatten(g.op.globalAveragePool(p), 1);
    expect(gp.shape).toEqual(['n', 4]);
    const y = g.op.gemm(gp, fc, undefined, { transB: 1 });
    expect(y.shape).toEqual(['n', 3]);
    expect(g.op.reshape(y, [-1, 1, 3]).shape).toEqual(['n', 1, 3]);
    const loss = g.op.reduceSum(y, undefined, { keepdims: 0 });
    const [dw] = gradients(g, loss, [w]);
    expect(dw.shape).toEqual([4, 1, 3, 3, 3]);
    g.output(y, 'y');
    g.output(dw, 'dw');
    const s = await GraphSession.create(g.build());
    for (const n of [2, 3]) {
      const res = await s.run({ x: randomFeed('float32', [n, 1, 8, 8, 8], n), w: randomFeed('float32', [4, 1, 3, 3, 3], 7), fc: randomFeed('float32', [3, 4], 8) });
      expect(res.y.dims).toEqual([n, 3]);
      expect(res.dw.dims).toEqual([4, 1, 3, 3, 3]);
    }
  });

  it('rejects impossible shapes with a GraphError naming the op and node', () => {
    const g = new GraphBuilder('bad');
    const a = g.input('a', 'float32', [2, 3]);
    const b = g.input('b', 'float32', [4, 5]);
    expect(() => g.scope('blk', () => g.op.add(a, b))).toThrow(GraphError);
    expect(() => g.scope('blk', () => g.op.add(a, b))).toThrow(/Add \(blk\.Add_?\d*\): cannot broadcast dims 2 and 4/);
    const x = g.input('x', 'float32', [1, 2, 4, 4, 4]);
    const w = g.input('w', 'float32', [3, 5, 3, 3, 3]);
    expect(() => g.op.conv(x, w)).toThrow(/Conv \(Conv\): input has 2 channels, weight expects 5/);
    expect(() => g.op.matMul(a, b)).toThrow(/MatMul.*cannot broadcast dims 3 and 4/);
  });
});
