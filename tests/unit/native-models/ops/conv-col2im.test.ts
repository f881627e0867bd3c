// The Gemm + col2im input gradient (ops/conv-col2im.ts) equals ConvTranspose's (the adjoint of ORT's Conv) on small
// volumes at strides 1 and 2, asymmetric pads, dilation and a 1^3 kernel; the graph it makes holds no Conv or
// ConvTranspose and never re-lays out the weight; the planner offers it only up to COL2IM_MAX_ZI input voxels, and a
// forced 'gemm-col2im' beyond that falls back to the flipped Conv.
import { describe, expect, it } from 'vitest';
import { gradients } from '../../../../native-models/autodiff/gradients.js';
import type { TensorData } from '../../../../native-models/ir/tensor.js';
import { GraphBuilder } from '../../../../native-models/ops/builder.js';
import type { ConvAttrs } from '../../../../native-models/ops/conv-attrs.js';
import { COL2IM_MAX_ZI, candidateForms } from '../../../../native-models/ops/conv-plan.js';
import type { ConvInputGrad } from '../../../../native-models/ops/op-def.js';
import { GraphSession } from '../../../../native-models/runtime/session.js';
import { expectClose, randomTensor } from './conv-compare.js';

const CASES: [string, number[], number[], ConvAttrs][] = [
  ['3^3 stride 1 pad 1 (layer4-like, 2^3)', [3, 8, 2, 2, 2], [6, 8, 3, 3, 3], { pads: [1, 1, 1, 1, 1, 1] }],
  ['3^3 stride 2 pad 1, odd sizes', [2, 3, 4, 5, 3], [4, 3, 3, 3, 3], { strides: [2, 2, 2], pads: [1, 1, 1, 1, 1, 1] }],
  ['3x2x1 kernel, asymmetric pads', [1, 2, 4, 4, 4], [3, 2, 3, 2, 1], { pads: [1, 0, 0, 0, 1, 0] }],
  ['2^3 kernel, dilation 2', [2, 2, 4, 4, 4], [3, 2, 2, 2, 2], { dilations: [2, 2, 2], pads: [1, 1, 1, 1, 1, 1] }],
  ['1^3 stride 2 shortcut', [2, 3, 4, 4, 4], [4, 3, 1, 1, 1], { strides: [2, 2, 2] }],
];

async function dx(xs: number[], ws: number[], attrs: ConvAttrs, input: ConvInputGrad): Promise<{ dx: TensorData; types: string[] }> {
  const g = new GraphBuilder('col2im');
  const x = g.input('x', 'float32', xs), w = g.input('w', 'float32', ws);
  const y = g.op.conv(x, w, undefined, attrs);
  const dy = g.input('dy', 'float32', y.shape);
  const [gx] = gradients(g, g.op.reduceSum(g.op.mul(y, dy), undefined, { keepdims: 0 }), [x], { conv: { input } });
  g.output(gx, 'dx');
  const graph = g.build();
  const s = await GraphSession.create(graph, { intraOpNumThreads: 2 });
  const out = await s.run({ x: randomTensor(xs, 1), w: randomTensor(ws, 2), dy: randomTensor(y.shape as number[], 3) });
  await s.release();
  // the gradient's nodes only (the forward may itself be a Conv or a Gemm lowering)
  return { dx: out.dx, types: graph.nodes.filter((n) => n.name.startsWith('grad.')).map((n) => n.opType) };
}

describe('Gemm + col2im input gradient', () => {
  it.each(CASES)('%s: equals ConvTranspose', async (_name, xs, ws, attrs) => {
    const ref = await dx(xs, ws, attrs, 'conv-transpose');
    const got = await dx(xs, ws, attrs, 'gemm-col2im');
    expect(ref.types).toContain('ConvTranspose');
    expect(got.types.filter((t) => t === 'Conv' || t === 'ConvTranspose')).toEqual([]);
    expect(got.types).toContain('MatMul');
    expect(got.dx.dims).toEqual(xs);
    expectClose(got.dx, ref.dx, 'dx');
  });

  it(`is a candidate up to ${COL2IM_MAX_ZI} input voxels, and a forced one beyond falls back to the flipped Conv`, async () => {
    const a = { k: [3, 3, 3], s: [1, 1, 1], d: [1, 1, 1], pb: [1, 1, 1], pe: [1, 1, 1], group: 1 };
    const sig = (x: number[]) => ({ role: 'input-grad' as const, x, w: [8, 8, 3, 3, 3], strides: a.s, pads: [...a.pb, ...a.pe], dilations: a.d });
    expect(candidateForms(sig([2, 8, 4, 4, 4]), a, undefined)).toContain('gemm-col2im');
    expect(candidateForms(sig([2, 8, 4, 4, 5]), a, undefined)).not.toContain('gemm-col2im');
    const big = await dx([1, 2, 4, 4, 5], [3, 2, 3, 3, 3], { pads: [1, 1, 1, 1, 1, 1] }, 'gemm-col2im');
    expect(big.types).toContain('Conv');
    expect(big.types).not.toContain('MatMul');
    const ref = await dx([1, 2, 4, 4, 5], [3, 2, 3, 3, 3], { pads: [1, 1, 1, 1, 1, 1] }, 'conv-transpose');
    expectClose(big.dx, ref.dx, 'dx');
  });
});
