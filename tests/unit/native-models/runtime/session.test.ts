// GraphSession: runs IR graphs and ONNX bytes in onnxruntime-node with typed-array feeds/fetches, float64,
// int64 and bool tensors, pre-allocated outputs, and GraphErrors naming the graph for load and run failures.
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../../native-models/ops/builder.js';
import { GraphError } from '../../../../native-models/ir/errors.js';
import { tensor } from '../../../../native-models/ir/tensor.js';
import { serializeModel } from '../../../../native-models/onnx/model-proto.js';
import { GraphSession } from '../../../../native-models/runtime/session.js';
import { gradients } from '../../../../native-models/autodiff/gradients.js';

function axpy() {
  const g = new GraphBuilder('axpy');
  const a = g.input('a', 'float64', [3]);
  const x = g.input('x', 'float64', [3]);
  const y = g.op.add(g.op.mul(a, x), 1);
  g.output(y, 'y');
  g.output(g.op.greater(y, 2), 'big');
  g.output(g.op.shape(y), 'shape');
  return g.build();
}

describe('GraphSession', () => {
  it('runs an IR graph with float64 feeds and returns float64/bool/int64 fetches', async () => {
    const s = await GraphSession.create(axpy(), { intraOpNumThreads: 1, graphOptimizationLevel: 'basic' });
    expect(s.inputNames).toEqual(['a', 'x']);
    expect(s.outputNames).toEqual(['y', 'big', 'shape']);
    const out = await s.run({ a: tensor('float64', [3], [1, 2, 3]), x: tensor('float64', [3], [0.5, 0.25, 1 / 3]) });
    expect(Array.from(out.y.data as Float64Array)).toEqual([1.5, 1.5, 2]);
    expect(out.y.dtype).toBe('float64');
    expect(Array.from(out.big.data as Uint8Array)).toEqual([0, 0, 0]);
    expect(out.shape.data).toEqual(new BigInt64Array([3n]));
    const only = await s.run({ a: tensor('float64', [3], [1, 1, 1]), x: tensor('float64', [3], [2, 2, 2]) }, ['big']);
    expect(Object.keys(only)).toEqual(['big']);
    expect(Array.from(only.big.data as Uint8Array)).toEqual([1, 1, 1]);
    await s.release();
  });

  it('runs serialised bytes and writes into pre-allocated outputs', async () => {
    const s = await GraphSession.create(serializeModel(axpy()));
    const y = tensor('float64', [3]);
    const out = await s.run({ a: tensor('float64', [3], [2, 2, 2]), x: tensor('float64', [3], [1, 2, 3]) }, { y });
    expect(Array.from(y.data as Float64Array)).toEqual([3, 5, 7]);
    expect(Array.from(out.y.data as Float64Array)).toEqual([3, 5, 7]);
  });

  it('runs a forward+backward graph (one session for loss and gradients)', async () => {
    const g = new GraphBuilder('fb');
    const w = g.input('w', 'float64', [2, 2]);
    const x = g.input('x', 'float64', [3, 2]);
    const loss = g.op.reduceSumSquare(g.op.matMul(x, w), undefined, { keepdims: 0 });
    const [dw] = gradients(g, loss, [w]);
    g.output(loss, 'loss');
    g.output(dw, 'dw');
    const s = await GraphSession.create(g.build());
    const out = await s.run({ w: tensor('float64', [2, 2], [1, 0, 0, 1]), x: tensor('float64', [3, 2], [1, 2, 3, 4, 5, 6]) });
    expect(out.loss.data[0]).toBe(91);
    // d/dw sum((xw)^2) = 2 x^T x w = 2 x^T x for w = I
    expect(Array.from(out.dw.data as Float64Array)).toEqual([70, 88, 88, 112]);
  });

  it('reports load and run failures as GraphErrors naming the graph', async () => {
    await expect(GraphSession.create(new Uint8Array([1, 2, 3]))).rejects.toThrow(GraphError);
    const s = await GraphSession.create(axpy());
    await expect(s.run({ a: tensor('float64', [3], [1, 2, 3]) })).rejects.toThrow(/session \(axpy\): run failed/);
  });
});
