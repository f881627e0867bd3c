// The weight gradient on NCHWc depth taps (ops/conv-nchwc-nc.ts) equals ORT's own conv-nc weight gradient (and
// so the gradient of ORT's Conv): a stem-like 1-channel 5^3 stride-2 conv, a 3^3 stride-1 conv with several input
// channels, a strided one whose output depth is not a multiple of the block (the two-step kernel re-layout) and
// asymmetric pads, and channels in blocks (interleaved into W) at strides 1, 2 and (1, 2, 2). Skipped where this CPU has no NCHWc kernels (not x86 with AVX2).
import { describe, expect, it } from 'vitest';
import { gradients } from '../../../../native-models/autodiff/gradients.js';
import type { TensorData } from '../../../../native-models/ir/tensor.js';
import { GraphBuilder } from '../../../../native-models/ops/builder.js';
import type { ConvAttrs } from '../../../../native-models/ops/conv-attrs.js';
import { machineInfo } from '../../../../native-models/runtime/machine.js';
import { GraphSession } from '../../../../native-models/runtime/session.js';
import { expectClose, randomTensor } from './conv-compare.js';

const block = machineInfo().nchwcBlock;
const B = block ?? 8;

const CASES: [string, number[], number[], ConvAttrs][] = [
  ['stem-like: 1 channel, 5^3 stride 2 pad 2', [4, 1, 16, 14, 12], [8, 1, 5, 5, 5], { strides: [2, 2, 2], pads: [2, 2, 2, 2, 2, 2] }],
  ['3^3 stride 1 pad 1, 3 input channels', [2, 3, 8, 6, 5], [16, 3, 3, 3, 3], { pads: [1, 1, 1, 1, 1, 1] }],
  ['3^3 stride 2, output depth 3 (two-step re-layout)', [8, 2, 6, 7, 5], [8, 2, 3, 3, 3], { strides: [2, 2, 2], pads: [1, 1, 1, 1, 1, 1] }],
  ['3x2x1 asymmetric pads', [4, 2, 4, 6, 7], [8, 2, 3, 2, 1], { pads: [1, 0, 0, 1, 1, 0] }],
  // depth stride 1 with strided H and W: each tap's Pad pads H and crops W (the kernel never reaches x's last column)
  ['3^3 strides 1, 2, 2: padded H, cropped W', [4, 2, 6, 7, 8], [8, 2, 3, 3, 3], { strides: [1, 2, 2], pads: [1, 1, 0, 1, 1, 0] }],
  // channels in blocks: x's channels interleaved into W (C/B images, W dilation times B)
  ['3^3 stride 1, 2 channel blocks interleaved into W', [2, 2 * B, 8, 6, 5], [B, 2 * B, 3, 3, 3], { pads: [1, 1, 1, 1, 1, 1] }],
  ['3^3 stride 2, 1 channel block interleaved into W', [4, B, 8, 7, 6], [2 * B, B, 3, 3, 3], { strides: [2, 2, 2], pads: [1, 1, 1, 1, 1, 1] }],
  ['3^3 strides 1, 2, 2 interleaved: padded H, cropped W', [4, B, 6, 7, 8], [B, B, 3, 3, 3], { strides: [1, 2, 2], pads: [1, 1, 0, 1, 1, 0] }],
];

async function dw(xs: number[], ws: number[], attrs: ConvAttrs, weight: 'conv-nc' | 'nchwc-nc'): Promise<{ dw: TensorData; types: string[] }> {
  const g = new GraphBuilder('nchwc-nc');
  g.convPlanner = { choose: () => undefined, nchwcBlock: block };
  g.convOptions = { weight };
  const x = g.input('x', 'float32', xs), w = g.input('w', 'float32', ws);
  const y = g.op.conv(x, w, undefined, attrs);
  const dy = g.input('dy', 'float32', y.shape);
  const [gw] = gradients(g, g.op.reduceSum(g.op.mul(y, dy), undefined, { keepdims: 0 }), [w]);
  g.output(gw, 'dw');
  const graph = g.build();
  const s = await GraphSession.create(graph, { intraOpNumThreads: 2 });
  const out = await s.run({ x: randomTensor(xs, 1), w: randomTensor(ws, 2), dy: randomTensor(y.shape as number[], 3) });
  await s.release();
  return { dw: out.dw, types: graph.nodes.map((n) => `${n.domain}:${n.opType}`) };
}

describe.skipIf(!block)('NCHWc weight gradient (depth taps, dy as the kernel)', () => {
  it.each(CASES)('%s: equals the conv-nc weight gradient', async (_name, xs, ws, attrs) => {
    const ref = await dw(xs, ws, attrs, 'conv-nc');
    const got = await dw(xs, ws, attrs, 'nchwc-nc');
    expect(got.types).toContain('com.microsoft.nchwc:Conv');
    expect(ref.types).not.toContain('com.microsoft.nchwc:Conv');
    expect(got.dw.dims).toEqual(ws);
    expectClose(got.dw, ref.dw, 'dw');
  });
});
