// The NCHWc depth-tap conv (ops/conv-nchwc.ts) equals ORT's 3-D Conv, forward, as a planned forward formulation
// with its custom gradient, and as an input-gradient formulation; float32 on this machine's NCHWc block size.
import { describe, expect, it } from 'vitest';
import { gradients } from '../../../../native-models/autodiff/gradients.js';
import type { TensorData } from '../../../../native-models/ir/tensor.js';
import { GraphBuilder } from '../../../../native-models/ops/builder.js';
import type { ConvAttrs } from '../../../../native-models/ops/conv-attrs.js';
import type { ConvGradOptions } from '../../../../native-models/ops/op-def.js';
import { machineInfo } from '../../../../native-models/runtime/machine.js';
import { GraphSession } from '../../../../native-models/runtime/session.js';
import { expectClose, randomTensor } from './conv-compare.js';

const block = machineInfo().nchwcBlock;
// channel counts that are multiples of both block sizes (8 on AVX2, 16 on AVX-512)
const CASES: [string, number[], number[], ConvAttrs][] = [
  ['3^3 stride 1 pad 1', [2, 16, 6, 5, 4], [16, 16, 3, 3, 3], { pads: [1, 1, 1, 1, 1, 1] }],
  ['3^3 stride 2 pad 1', [2, 16, 7, 6, 5], [32, 16, 3, 3, 3], { strides: [2, 2, 2], pads: [1, 1, 1, 1, 1, 1] }],
  ['1^3 stride 1', [3, 32, 4, 4, 4], [16, 32, 1, 1, 1], {}],
  ['3x3x1 asymmetric pads', [2, 16, 5, 6, 7], [16, 16, 3, 3, 1], { pads: [2, 0, 0, 0, 1, 0] }],
  ['3^3 strides 1, 2, 2 (depth taps shifted, H and W strided)', [2, 16, 5, 7, 8], [16, 16, 3, 3, 3], { strides: [1, 2, 2], pads: [1, 1, 0, 1, 1, 0] }],
];

/** y (and, with dy, the gradients of <y, dy> w.r.t. x, w, b) under forced formulations. */
async function run(xs: number[], ws: number[], attrs: ConvAttrs, conv: ConvGradOptions, withGrads: boolean): Promise<Record<string, TensorData>> {
  const g = new GraphBuilder('nchwc');
  g.convPlanner = { choose: () => undefined, nchwcBlock: block };
  g.convOptions = conv;
  const x = g.input('x', 'float32', xs), w = g.input('w', 'float32', ws), b = g.input('b', 'float32', [ws[0]]);
  const y = g.op.conv(x, w, b, attrs);
  g.output(y, 'y');
  const feeds: Record<string, TensorData> = { x: randomTensor(xs, 1), w: randomTensor(ws, 2), b: randomTensor([ws[0]], 3) };
  if (withGrads) {
    const dy = g.input('dy', 'float32', y.shape);
    feeds.dy = randomTensor(y.shape as number[], 4);
    const loss = g.op.reduceSum(g.op.mul(y, dy), undefined, { keepdims: 0 });
    const [dx, dw, db] = gradients(g, loss, [x, w, b]);
    g.output(dx, 'dx');
    g.output(dw, 'dw');
    g.output(db, 'db');
  }
  const graph = g.build();
  const types = graph.nodes.map((n) => `${n.domain}:${n.opType}`);
  if (conv.forward === 'nchwc' || conv.input === 'nchwc') expect(types).toContain('com.microsoft.nchwc:Conv');
  else expect(types).not.toContain('com.microsoft.nchwc:Conv');
  const s = await GraphSession.create(graph, { intraOpNumThreads: 2 });
  const out = await s.run(feeds);
  await s.release();
  return out;
}

describe.skipIf(!block)(`NCHWc conv (block ${block})`, () => {
  for (const [name, xs, ws, attrs] of CASES) {
    it(`${name}: forward and gradients equal ORT's Conv`, async () => {
      const ref = await run(xs, ws, attrs, { forward: 'conv' }, true);
      const ours = await run(xs, ws, attrs, { forward: 'nchwc' }, true);
      for (const k of ['y', 'dx', 'dw', 'db']) expectClose(ours[k], ref[k], k);
    });
  }

  it('with a symbolic batch (an encoder), runs at two batch sizes and equals the Conv', async () => {
    const [, xs, ws, attrs] = CASES[1];
    const outFor = async (forward: 'nchwc' | 'conv') => {
      const g = new GraphBuilder('sym');
      g.convPlanner = { choose: () => undefined, nchwcBlock: block };
      g.convOptions = { forward };
      const x = g.input('x', 'float32', ['n', ...xs.slice(1)]), w = g.input('w', 'float32', ws);
      g.output(g.op.conv(x, w, undefined, attrs), 'y');
      const graph = g.build();
      expect(graph.nodes.some((n) => n.domain === 'com.microsoft.nchwc')).toBe(forward === 'nchwc');
      const s = await GraphSession.create(graph, { intraOpNumThreads: 2 });
      const ys = [1, 3].map(async (n) => (await s.run({ x: randomTensor([n, ...xs.slice(1)], n), w: randomTensor(ws, 2) })).y);
      return Promise.all(ys);
    };
    const [a, b] = [await outFor('nchwc'), await outFor('conv')];
    a.forEach((y, i) => expectClose(y, b[i], `batch ${i}`));
  });

  it('as the input gradient of a stride-1 conv, equals the flipped Conv', async () => {
    const [, xs, ws, attrs] = CASES[0];
    const ref = await run(xs, ws, attrs, { forward: 'conv', input: 'conv-flipped' }, true);
    const ours = await run(xs, ws, attrs, { forward: 'conv', input: 'nchwc' }, true);
    expectClose(ours.dx, ref.dx, 'dx');
  });
});
