// Depth taps as the channels of one 2-D conv (ops/conv-depth2d.ts) equals ORT's 3-D Conv: forced as the forward
// formulation with a fed weight (forward and its custom gradient), with a constant weight (re-laid out on the host;
// ORT's NCHWc transformer may then take the 2-D conv), with a symbolic batch at two batch sizes, and with a fed
// weight on this machine's NCHWc kernels (fewer stacked channels than the block: the stem's case).
import { describe, expect, it } from 'vitest';
import { gradients } from '../../../../native-models/autodiff/gradients.js';
import type { TensorData } from '../../../../native-models/ir/tensor.js';
import { GraphBuilder } from '../../../../native-models/ops/builder.js';
import type { ConvAttrs } from '../../../../native-models/ops/conv-attrs.js';
import { machineInfo } from '../../../../native-models/runtime/machine.js';
import { GraphSession } from '../../../../native-models/runtime/session.js';
import { expectClose, randomTensor } from './conv-compare.js';

const CASES: [string, number[], number[], ConvAttrs][] = [
  ['stem-like 1 channel, 5^3 stride 2 pad 2', [2, 1, 9, 8, 7], [8, 1, 5, 5, 5], { strides: [2, 2, 2], pads: [2, 2, 2, 2, 2, 2] }],
  ['3^3 stride 1 pad 1', [2, 16, 6, 5, 4], [16, 16, 3, 3, 3], { pads: [1, 1, 1, 1, 1, 1] }],
  ['3^3 stride 2 pad 1, odd channels', [2, 3, 7, 6, 5], [5, 3, 3, 3, 3], { strides: [2, 2, 2], pads: [1, 1, 1, 1, 1, 1] }],
  ['3x2x1 asymmetric pads', [2, 4, 5, 6, 7], [6, 4, 3, 2, 1], { pads: [2, 0, 0, 0, 1, 0] }],
];

/** y and the gradients of <y, dy> w.r.t. x, w, b, with the forward formulation forced. */
async function run(xs: number[], ws: number[], attrs: ConvAttrs, forward: 'conv' | 'depth-2d', constWeight: boolean, nchwcBlock?: number): Promise<Record<string, TensorData>> {
  const g = new GraphBuilder('depth2d');
  g.convPlanner = { choose: () => undefined, nchwcBlock };
  g.convOptions = { forward };
  const wData = randomTensor(ws, 2);
  const x = g.input('x', 'float32', xs), b = g.input('b', 'float32', [ws[0]]);
  const w = constWeight ? g.initializer('w', wData) : g.input('w', 'float32', ws);
  const y = g.op.conv(x, w, b, attrs);
  g.output(y, 'y');
  const feeds: Record<string, TensorData> = { x: randomTensor(xs, 1), b: randomTensor([ws[0]], 3) };
  if (!constWeight) feeds.w = wData;
  const dy = g.input('dy', 'float32', y.shape);
  feeds.dy = randomTensor(y.shape as number[], 4);
  const loss = g.op.reduceSum(g.op.mul(y, dy), undefined, { keepdims: 0 });
  const wrt = constWeight ? [x, b] : [x, w, b];
  const grads = gradients(g, loss, wrt);
  g.output(grads[0], 'dx');
  g.output(grads[grads.length - 1], 'db');
  if (!constWeight) g.output(grads[1], 'dw');
  const graph = g.build();
  const convs = graph.nodes.filter((n) => n.opType === 'Conv' && !n.domain && n.outputs[0].name.includes('Conv') && !n.name.startsWith('grad'));
  // the forward conv is 2-D under depth-2d, 3-D otherwise
  expect(convs.some((n) => n.inputs[0]!.rank === 4)).toBe(forward === 'depth-2d' && !nchwcBlock);
  // on NCHWc with a fed weight: MLAS's Conv, no plain Conv left in the forward
  if (nchwcBlock && forward === 'depth-2d') {
    expect(graph.nodes.some((n) => n.domain === 'com.microsoft.nchwc' && n.opType === 'Conv' && !n.name.startsWith('grad'))).toBe(true);
    expect(convs).toHaveLength(0);
  }
  const s = await GraphSession.create(graph, { intraOpNumThreads: 2 });
  const out = await s.run(feeds);
  await s.release();
  return out;
}

describe('depth-2d conv', () => {
  for (const [name, xs, ws, attrs] of CASES) {
    for (const constWeight of [false, true]) {
      it(`${name}, ${constWeight ? 'constant' : 'fed'} weight: forward and gradients equal ORT's Conv`, async () => {
        const ref = await run(xs, ws, attrs, 'conv', constWeight);
        const ours = await run(xs, ws, attrs, 'depth-2d', constWeight);
        for (const k of Object.keys(ref)) expectClose(ours[k], ref[k], k);
      });
    }
  }

  it('with a symbolic batch (an encoder), runs at two batch sizes and equals the Conv', async () => {
    const [, xs, ws, attrs] = CASES[0];
    const wData = randomTensor(ws, 2);
    const outFor = async (forward: 'depth-2d' | 'conv') => {
      const g = new GraphBuilder('sym');
      g.convOptions = { forward };
      const x = g.input('x', 'float32', ['n', ...xs.slice(1)]);
      g.output(g.op.conv(x, g.initializer('w', wData), undefined, attrs), 'y');
      const graph = g.build();
      expect(graph.nodes.some((n) => n.opType === 'Conv' && n.inputs[0]!.rank === 4)).toBe(forward === 'depth-2d');
      const s = await GraphSession.create(graph, { intraOpNumThreads: 2 });
      const ys = await Promise.all([1, 3].map(async (n) => (await s.run({ x: randomTensor([n, ...xs.slice(1)], n) })).y));
      await s.release();
      return ys;
    };
    const [a, b] = [await outFor('depth-2d'), await outFor('conv')];
    a.forEach((y, i) => expectClose(y, b[i], `batch ${i}`));
  });

  const block = machineInfo().nchwcBlock;
  // C * kd below both block sizes (8 on AVX2, 16 on AVX-512), O a multiple of both
  const NCHWC_CASES: [string, number[], number[], ConvAttrs][] = [
    ['stem: 1 channel, 7^3 stride 2 pad 3', [2, 1, 10, 9, 8], [16, 1, 7, 7, 7], { strides: [2, 2, 2], pads: [3, 3, 3, 3, 3, 3] }],
    ['2 channels, 3^3 stride 1 pad 1', [2, 2, 5, 6, 4], [16, 2, 3, 3, 3], { pads: [1, 1, 1, 1, 1, 1] }],
  ];
  for (const [name, xs, ws, attrs] of NCHWC_CASES) {
    it.skipIf(!block)(`${name}, fed weight on NCHWc (block ${block}): forward and gradients equal ORT's Conv`, async () => {
      const ref = await run(xs, ws, attrs, 'conv', false);
      const ours = await run(xs, ws, attrs, 'depth-2d', false, block);
      for (const k of ['y', 'dx', 'dw', 'db']) expectClose(ours[k], ref[k], k);
    });
  }
});
