// The op cases shared by the gradient-check suite and the shape-inference test: at least one per registered op.
// Dtypes: float64 wherever ORT's CPU provider has a double kernel (elementwise, MatMul, Gemm, reductions,
// MaxPool, shape ops ...), so the default float64 tolerances apply (eps 1e-6, rtol 1e-6: central-difference
// truncation ~eps^2 and rounding ~1e-16/eps are both far below). Conv, ConvTranspose and AveragePool/
// GlobalAveragePool have float32-only CPU kernels: see FLOAT32 below for their step and tolerance.
import type { GradCheckSpec } from '../../../../native-models/autodiff/grad-check.js';
import { tensor } from '../../../../native-models/ir/tensor.js';

// Conv-family checks in float32. The ops are linear in each input, so the central difference has no truncation
// error and only rounding matters: the loss is accumulated in float64 by the harness, the perturbation is taken
// from the rounded float32 inputs, so the remaining error is the op's own float32 accumulation
// (~6e-8 * sqrt(terms) relative per output) divided by 2*eps. eps = 0.05 keeps that near 1e-5 relative;
// rtol 1e-3 leaves a 100x margin while a wrong rule (wrong flip, pad or stride) is off by O(1).
export const FLOAT32 = { dtype: 'float32' as const, eps: 0.05, rtol: 1e-3, atol: 1e-5 };

const positive = (u: () => number) => 0.5 + 1.5 * u();
/** Values at least 0.1 away from 0 (kinks of Relu/Abs). */
const awayFromZero = (u: () => number) => (u() < 0.5 ? -1 : 1) * (0.1 + u());
const conv3 = (x: number[]) => ({ name: 'x', shape: x });

/** nonDifferentiable: the op ends gradient paths (bool/int outputs, zero derivative): VJPs are 0. noGradient: an
 *  op with float outputs and no rule (NCHWc layout ops): autodiff must refuse a path through it. */
export type Check = GradCheckSpec | { nonDifferentiable: GradCheckSpec } | { noGradient: GradCheckSpec };

// NCHWc ops (float32 only, CPU): 16 channels, a multiple of both block sizes (8 on AVX2, 16 on AVX-512), so the
// shapes are the same on every machine; values are checked against ORT's Conv in tests/unit/native-models/ops/conv-nchwc.test.ts.
const NCHWC = { dtype: 'float32' as const };
const NCHWC_X = { name: 'x', shape: [2, 16, 5, 4] };

export const CHECKS: Record<string, Check[]> = {
  'com.microsoft.nchwc.ReorderInput': [{ noGradient: { ...NCHWC, inputs: [NCHWC_X], build: (g, [x]) => g.op.reorderInput(x, 8) } }],
  'com.microsoft.nchwc.ReorderOutput': [{ noGradient: { ...NCHWC, inputs: [NCHWC_X], build: (g, [x]) => g.op.reorderOutput(g.op.reorderInput(x, 8), 16) } }],
  'com.microsoft.nchwc.Conv': [
    {
      noGradient: {
        ...NCHWC,
        inputs: [NCHWC_X, { name: 'w', shape: [16, 16, 3, 3] }, { name: 'b', shape: [16] }],
        build: (g, [x, w, b]) => {
          const y = g.op.nchwcConv(g.op.reorderInput(x, 8), w, b, undefined, { kernel_shape: [3, 3], pads: [1, 0, 1, 0], strides: [1, 2] });
          return g.op.reorderOutput(g.op.nchwcConv(g.op.reorderInput(x, 8), w, undefined, y, { kernel_shape: [3, 3], pads: [1, 0, 1, 0], strides: [1, 2] }), 16);
        },
      },
    },
  ],
  'com.microsoft.nchwc.MaxPool': [
    {
      noGradient: {
        ...NCHWC,
        inputs: [{ name: 'x', shape: [2, 16, 7, 6] }],
        build: (g, [x]) => g.op.reorderOutput(g.op.nchwcMaxPool(g.op.reorderInput(x, 8), { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 0] }), 16),
      },
    },
  ],
  Add: [{ inputs: [{ name: 'a', shape: [2, 3, 4] }, { name: 'b', shape: [3, 1] }], build: (g, [a, b]) => g.op.add(a, b) }],
  Sub: [{ inputs: [{ name: 'a', shape: [2, 3] }, { name: 'b', shape: [2, 1, 3] }], build: (g, [a, b]) => g.op.sub(a, b) }],
  Mul: [{ inputs: [{ name: 'a', shape: [2, 3, 4] }, { name: 'b', shape: [4] }], build: (g, [a, b]) => g.op.mul(a, b) }],
  Div: [{ inputs: [{ name: 'a', shape: [3, 4] }, { name: 'b', shape: [3, 1], sample: positive }], build: (g, [a, b]) => g.op.div(a, b) }],
  Pow: [
    {
      inputs: [{ name: 'a', shape: [3, 4], sample: positive }, { name: 'b', shape: [4], sample: (u) => 3 * u() - 1 }],
      build: (g, [a, b]) => g.op.pow(a, b),
    },
  ],
  Neg: [{ inputs: [{ name: 'x', shape: [5] }], build: (g, [x]) => g.op.neg(x) }],
  Sqrt: [{ inputs: [{ name: 'x', shape: [6], sample: positive }], build: (g, [x]) => g.op.sqrt(x) }],
  Exp: [{ inputs: [{ name: 'x', shape: [6] }], build: (g, [x]) => g.op.exp(x) }],
  Log: [{ inputs: [{ name: 'x', shape: [6], sample: positive }], build: (g, [x]) => g.op.log(x) }],
  Relu: [{ inputs: [{ name: 'x', shape: [4, 5], sample: awayFromZero }], build: (g, [x]) => g.op.relu(x) }],
  Sigmoid: [{ inputs: [{ name: 'x', shape: [4, 5] }], build: (g, [x]) => g.op.sigmoid(x) }],
  Tanh: [{ inputs: [{ name: 'x', shape: [4, 5] }], build: (g, [x]) => g.op.tanh(x) }],
  Abs: [{ inputs: [{ name: 'x', shape: [4, 5], sample: awayFromZero }], build: (g, [x]) => g.op.abs(x) }],
  Ceil: [{ nonDifferentiable: { inputs: [{ name: 'x', shape: [5], sample: (u) => Math.floor(10 * u()) - 4.5 }], build: (g, [x]) => g.op.ceil(x) } }],
  Floor: [{ nonDifferentiable: { inputs: [{ name: 'x', shape: [5], sample: (u) => Math.floor(10 * u()) - 4.5 }], build: (g, [x]) => g.op.floor(x) } }],
  BatchNormalization: [
    {
      inputs: [
        { name: 'x', shape: [2, 3, 4, 3, 2] },
        { name: 'scale', shape: [3] },
        { name: 'bias', shape: [3] },
        { name: 'mean', shape: [3] },
        { name: 'var', shape: [3], sample: positive },
      ],
      build: (g, [x, s, b, m, v]) => g.op.batchNormalization(x, s, b, m, v, { epsilon: 1e-3 }),
    },
    // composed training BN: batch statistics from ReduceMean fed into the op; gradient flows through them too
    {
      inputs: [{ name: 'x', shape: [3, 2, 3, 2, 2] }, { name: 'scale', shape: [2] }, { name: 'bias', shape: [2] }],
      build: (g, [x, s, b]) => {
        const m = g.op.reduceMean(x, [0, 2, 3, 4], { keepdims: 0 });
        const d = g.op.sub(x, g.op.reshape(m, [1, 2, 1, 1, 1]));
        const v = g.op.reduceMean(g.op.mul(d, d), [0, 2, 3, 4], { keepdims: 0 });
        return g.op.batchNormalization(x, s, b, m, v, { epsilon: 1e-5 });
      },
    },
  ],
  Identity: [{ inputs: [{ name: 'x', shape: [3] }], build: (g, [x]) => g.op.identity(x) }],
  Sign: [{ nonDifferentiable: { inputs: [{ name: 'x', shape: [4], sample: awayFromZero }], build: (g, [x]) => g.op.sign(x) } }],
  // float64 -> float32 -> (float64 in the loss): linear, so eps 1e-2; float32 rounding of y gives ~1e-5 relative
  Cast: [{ inputs: [{ name: 'x', shape: [3, 4] }], build: (g, [x]) => g.op.cast(x, 'float32'), eps: 1e-2, rtol: 1e-4 }],
  Greater: [nonDiffCompare('greater')],
  Less: [nonDiffCompare('less')],
  GreaterOrEqual: [nonDiffCompare('greaterOrEqual')],
  LessOrEqual: [nonDiffCompare('lessOrEqual')],
  Equal: [nonDiffCompare('equal')],
  And: [{ nonDifferentiable: { inputs: [{ name: 'x', shape: [4], sample: awayFromZero }], build: (g, [x]) => g.op.cast(g.op.and(g.op.greater(x, 0), g.op.less(x, 1)), 'float64') } }],
  Not: [{ nonDifferentiable: { inputs: [{ name: 'x', shape: [4], sample: awayFromZero }], build: (g, [x]) => g.op.cast(g.op.not(g.op.greater(x, 0)), 'float64') } }],
  // an index picked twice (2) sums both gradients; a negative index counts from the end
  Gather: [
    {
      inputs: [{ name: 'x', shape: [3, 5, 2] }, { name: 'i', shape: [2, 2], data: tensor('int64', [2, 2], [0, 2, -1, 2]) }],
      build: (g, [x, i]) => g.op.gather(x, i, 1),
    },
  ],
  Where: [
    {
      inputs: [
        { name: 'c', shape: [2, 3], data: tensor('bool', [2, 3], [1, 0, 1, 0, 0, 1]) },
        { name: 'a', shape: [2, 3] },
        { name: 'b', shape: [3] },
      ],
      build: (g, [c, a, b]) => g.op.where(c, a, b),
    },
  ],
  Max: [{ inputs: [{ name: 'a', shape: [3, 4] }, { name: 'b', shape: [4] }], build: (g, [a, b]) => g.op.max(a, b) }],
  Min: [{ inputs: [{ name: 'a', shape: [3, 4] }, { name: 'b', shape: [3, 1] }], build: (g, [a, b]) => g.op.min(a, b) }],
  MatMul: [
    { inputs: [{ name: 'a', shape: [2, 3, 4] }, { name: 'b', shape: [4, 5] }], build: (g, [a, b]) => g.op.matMul(a, b) },
    { inputs: [{ name: 'a', shape: [3, 4] }, { name: 'b', shape: [2, 4, 5] }], build: (g, [a, b]) => g.op.matMul(a, b) },
  ],
  Gemm: [0, 1, 2, 3].map((t) => {
    const tA = t & 1;
    const tB = t >> 1;
    return {
      inputs: [{ name: 'a', shape: tA ? [4, 3] : [3, 4] }, { name: 'b', shape: tB ? [5, 4] : [4, 5] }, { name: 'c', shape: [5] }],
      build: (g, [a, b, c]) => g.op.gemm(a, b, c, { alpha: 0.7, beta: 1.3, transA: tA, transB: tB }),
    } satisfies GradCheckSpec;
  }),
  Conv: [
    // 3^3 stride 1 pad 1 (ResNet body): flipped-weight Conv input grad, im2col + Gemm weight grad (auto)
    { ...FLOAT32, inputs: [conv3([2, 3, 6, 5, 4]), { name: 'w', shape: [4, 3, 3, 3, 3] }, { name: 'b', shape: [4] }], build: (g, [x, w, b]) => g.op.conv(x, w, b, { pads: [1, 1, 1, 1, 1, 1] }) },
    // 3^3 stride 2 pad 1 (stage entry): ConvTranspose input grad, conv-nc weight grad (auto)
    { ...FLOAT32, inputs: [conv3([2, 3, 7, 6, 5]), { name: 'w', shape: [4, 3, 3, 3, 3] }], build: (g, [x, w]) => g.op.conv(x, w, undefined, { strides: [2, 2, 2], pads: [1, 1, 1, 1, 1, 1] }) },
    // 7^3 stride 2 pad 3 stem
    { ...FLOAT32, inputs: [conv3([1, 1, 9, 8, 8]), { name: 'w', shape: [2, 1, 7, 7, 7] }], build: (g, [x, w]) => g.op.conv(x, w, undefined, { strides: [2, 2, 2], pads: [3, 3, 3, 3, 3, 3] }) },
    // 1^3 stride 2 downsample shortcut with bias
    { ...FLOAT32, inputs: [conv3([2, 3, 5, 4, 4]), { name: 'w', shape: [4, 3, 1, 1, 1] }, { name: 'b', shape: [4] }], build: (g, [x, w, b]) => g.op.conv(x, w, b, { strides: [2, 2, 2] }) },
    // every explicit formulation: zero-dilated flipped Conv at stride 2, identity-kernel im2col, conv-nc at stride 1
    { ...FLOAT32, options: { conv: { input: 'conv-flipped', weight: 'im2col-conv' } }, inputs: [conv3([2, 3, 7, 6, 5]), { name: 'w', shape: [4, 3, 3, 3, 3] }], build: (g, [x, w]) => g.op.conv(x, w, undefined, { strides: [2, 2, 2], pads: [1, 1, 1, 1, 1, 1] }) },
    { ...FLOAT32, options: { conv: { input: 'conv-transpose', weight: 'conv-nc' } }, inputs: [conv3([2, 3, 6, 5, 4]), { name: 'w', shape: [4, 3, 3, 3, 3] }], build: (g, [x, w]) => g.op.conv(x, w, undefined, { pads: [1, 1, 1, 1, 1, 1] }) },
    { ...FLOAT32, options: { conv: { input: 'conv-flipped', weight: 'im2col-gemm' } }, inputs: [conv3([1, 2, 8, 7, 6]), { name: 'w', shape: [3, 2, 3, 3, 3] }], build: (g, [x, w]) => g.op.conv(x, w, undefined, { strides: [2, 2, 2], pads: [0, 1, 1, 1, 0, 1] }) },
    // sub-pixel input gradient: stride 2 (k3 p1, odd and even sizes), stride 3 with k2, 1^3 stride 2, stem 7^3
    { ...FLOAT32, options: { conv: { input: 'subpixel' } }, inputs: [conv3([2, 3, 7, 6, 5]), { name: 'w', shape: [4, 3, 3, 3, 3] }], build: (g, [x, w]) => g.op.conv(x, w, undefined, { strides: [2, 2, 2], pads: [1, 1, 1, 1, 1, 1] }) },
    { ...FLOAT32, options: { conv: { input: 'subpixel' } }, inputs: [conv3([1, 2, 8, 7, 9]), { name: 'w', shape: [3, 2, 2, 3, 2] }], build: (g, [x, w]) => g.op.conv(x, w, undefined, { strides: [3, 2, 3], pads: [0, 1, 1, 1, 0, 0] }) },
    { ...FLOAT32, options: { conv: { input: 'subpixel' } }, inputs: [conv3([2, 3, 5, 4, 4]), { name: 'w', shape: [4, 3, 1, 1, 1] }], build: (g, [x, w]) => g.op.conv(x, w, undefined, { strides: [2, 2, 2] }) },
    // phases of 2^3 outputs: one Gemm over the batch per phase (the ones above of 3 x 2 x 2 and more: a MatMul per sample)
    { ...FLOAT32, options: { conv: { input: 'subpixel' } }, inputs: [conv3([3, 2, 4, 4, 3]), { name: 'w', shape: [4, 2, 3, 3, 3] }], build: (g, [x, w]) => g.op.conv(x, w, undefined, { strides: [2, 2, 2], pads: [1, 1, 1, 1, 1, 1] }) },
    { ...FLOAT32, options: { conv: { input: 'subpixel' } }, inputs: [conv3([1, 2, 9, 8, 8]), { name: 'w', shape: [2, 2, 7, 7, 7] }], build: (g, [x, w]) => g.op.conv(x, w, undefined, { strides: [2, 2, 2], pads: [3, 3, 3, 3, 3, 3] }) },
    // Gemm + col2im input gradient on small volumes (at most 64 voxels): stride 1, stride 2 with odd sizes, asymmetric
    // pads with a 3x2x1 kernel, dilation 2, and the 1^3 stride-2 shortcut
    { ...FLOAT32, options: { conv: { input: 'gemm-col2im' } }, inputs: [conv3([2, 3, 4, 3, 3]), { name: 'w', shape: [4, 3, 3, 3, 3] }], build: (g, [x, w]) => g.op.conv(x, w, undefined, { pads: [1, 1, 1, 1, 1, 1] }) },
    { ...FLOAT32, options: { conv: { input: 'gemm-col2im' } }, inputs: [conv3([2, 3, 4, 5, 3]), { name: 'w', shape: [4, 3, 3, 3, 3] }], build: (g, [x, w]) => g.op.conv(x, w, undefined, { strides: [2, 2, 2], pads: [1, 1, 1, 1, 1, 1] }) },
    { ...FLOAT32, options: { conv: { input: 'gemm-col2im' } }, inputs: [conv3([1, 2, 4, 4, 4]), { name: 'w', shape: [3, 2, 3, 2, 1] }], build: (g, [x, w]) => g.op.conv(x, w, undefined, { pads: [1, 0, 0, 0, 1, 0] }) },
    { ...FLOAT32, options: { conv: { input: 'gemm-col2im' } }, inputs: [conv3([2, 2, 4, 4, 4]), { name: 'w', shape: [3, 2, 2, 2, 2] }], build: (g, [x, w]) => g.op.conv(x, w, undefined, { dilations: [2, 2, 2], pads: [1, 1, 1, 1, 1, 1] }) },
    { ...FLOAT32, options: { conv: { input: 'gemm-col2im' } }, inputs: [conv3([2, 3, 4, 4, 4]), { name: 'w', shape: [4, 3, 1, 1, 1] }], build: (g, [x, w]) => g.op.conv(x, w, undefined, { strides: [2, 2, 2] }) },
    // im2col-conv in batch chunks of 1 (3 samples: chunks 1+1+1)
    { ...FLOAT32, options: { conv: { weight: 'im2col-conv', weightChunk: 1 } }, inputs: [conv3([3, 2, 5, 4, 6]), { name: 'w', shape: [3, 2, 3, 3, 3] }], build: (g, [x, w]) => g.op.conv(x, w, undefined, { pads: [1, 1, 1, 1, 1, 1] }) },
    // im2col-conv with Z < O: batch folded into a Gemm (deep layers on small volumes)
    { ...FLOAT32, options: { conv: { weight: 'im2col-conv' } }, inputs: [conv3([2, 2, 2, 2, 2]), { name: 'w', shape: [10, 2, 3, 3, 3] }], build: (g, [x, w]) => g.op.conv(x, w, undefined, { pads: [1, 1, 1, 1, 1, 1] }) },
    // small volume, C*K >= 512: lowered to one batched Gemm (conv-batched-gemm.ts), stride 1 and stride 2 with bias
    { ...FLOAT32, inputs: [conv3([3, 20, 2, 3, 2]), { name: 'w', shape: [6, 20, 3, 3, 3] }, { name: 'b', shape: [6] }], build: (g, [x, w, b]) => g.op.conv(x, w, b, { pads: [1, 1, 1, 1, 1, 1] }) },
    { ...FLOAT32, inputs: [conv3([2, 20, 4, 3, 4]), { name: 'w', shape: [5, 20, 3, 3, 3] }], build: (g, [x, w]) => g.op.conv(x, w, undefined, { strides: [2, 2, 2], pads: [1, 1, 1, 1, 1, 1] }) },
    // dilation 2, asymmetric pads, all three formulations of the weight grad via auto
    { ...FLOAT32, inputs: [conv3([1, 2, 7, 7, 6]), { name: 'w', shape: [3, 2, 3, 3, 3] }], build: (g, [x, w]) => g.op.conv(x, w, undefined, { dilations: [2, 2, 2], pads: [2, 1, 2, 2, 2, 1] }) },
    // grouped conv: input gradient (flipped per group)
    { ...FLOAT32, inputs: [conv3([1, 4, 5, 5, 5]), { name: 'w', shape: [6, 2, 3, 3, 3], diff: false }], build: (g, [x, w]) => g.op.conv(x, w, undefined, { group: 2, pads: [1, 1, 1, 1, 1, 1] }) },
  ],
  ConvTranspose: [
    { ...FLOAT32, inputs: [conv3([2, 4, 3, 3, 2]), { name: 'w', shape: [4, 3, 3, 3, 3] }, { name: 'b', shape: [3] }], build: (g, [x, w, b]) => g.op.convTranspose(x, w, b, { strides: [2, 2, 2], pads: [1, 1, 1, 1, 1, 1], output_padding: [1, 0, 1] }) },
  ],
  MaxPool: [
    { inputs: [conv3([2, 3, 4, 4, 6])], build: (g, [x]) => g.op.maxPool(x, { kernel_shape: [2, 2, 2], strides: [2, 2, 2] }) },
    // overlapping windows with padding (ResNet stem pool): indices ignore padding
    { inputs: [conv3([1, 2, 5, 6, 5])], build: (g, [x]) => g.op.maxPool(x, { kernel_shape: [3, 3, 3], strides: [2, 2, 2], pads: [1, 1, 1, 1, 1, 1] }) },
    // after a Relu (stem): the Relu mask is applied on the pooled dy and the Relu rule passes it through
    {
      inputs: [{ name: 'x', shape: [2, 2, 5, 4, 5], sample: awayFromZero }],
      build: (g, [x]) => g.op.maxPool(g.op.relu(x), { kernel_shape: [3, 3, 3], strides: [2, 2, 2], pads: [1, 1, 1, 1, 1, 1] }),
    },
  ],
  AveragePool: [
    { ...FLOAT32, inputs: [conv3([2, 3, 4, 4, 6])], build: (g, [x]) => g.op.averagePool(x, { kernel_shape: [2, 2, 2], strides: [2, 2, 2] }) },
    { ...FLOAT32, inputs: [conv3([1, 2, 5, 6, 5])], build: (g, [x]) => g.op.averagePool(x, { kernel_shape: [3, 3, 3], strides: [2, 2, 2], pads: [1, 1, 1, 1, 1, 1] }) },
    { ...FLOAT32, inputs: [conv3([1, 2, 5, 6, 5])], build: (g, [x]) => g.op.averagePool(x, { kernel_shape: [3, 3, 3], strides: [2, 2, 2], pads: [1, 1, 1, 1, 1, 1], count_include_pad: 1 }) },
  ],
  GlobalAveragePool: [{ ...FLOAT32, inputs: [conv3([2, 3, 4, 3, 2])], build: (g, [x]) => g.op.globalAveragePool(x) }],
  ReduceSum: [
    { inputs: [{ name: 'x', shape: [2, 3, 4] }], build: (g, [x]) => g.op.reduceSum(x, [1], { keepdims: 0 }) },
    { inputs: [{ name: 'x', shape: [2, 3, 4] }], build: (g, [x]) => g.op.reduceSum(x) },
  ],
  ReduceMean: [{ inputs: [{ name: 'x', shape: [2, 3, 4] }], build: (g, [x]) => g.op.reduceMean(x, [0, 2], { keepdims: 0 }) }],
  ReduceSumSquare: [{ inputs: [{ name: 'x', shape: [2, 3, 4] }], build: (g, [x]) => g.op.reduceSumSquare(x, [-1]) }],
  ReduceMax: [{ inputs: [{ name: 'x', shape: [2, 3, 4] }], build: (g, [x]) => g.op.reduceMax(x, [1], { keepdims: 0 }) }],
  Reshape: [{ inputs: [{ name: 'x', shape: [2, 3, 4] }], build: (g, [x]) => g.op.reshape(x, [0, -1]) }],
  Flatten: [{ inputs: [{ name: 'x', shape: [2, 3, 4] }], build: (g, [x]) => g.op.flatten(x, 2) }],
  Unsqueeze: [{ inputs: [{ name: 'x', shape: [2, 3] }], build: (g, [x]) => g.op.unsqueeze(x, [0, 3]) }],
  Squeeze: [{ inputs: [{ name: 'x', shape: [2, 1, 3, 1] }], build: (g, [x]) => g.op.squeeze(x, [1, -1]) }],
  Transpose: [{ inputs: [{ name: 'x', shape: [2, 3, 4] }], build: (g, [x]) => g.op.transpose(x, [2, 0, 1]) }],
  Concat: [
    {
      inputs: [{ name: 'a', shape: [2, 1, 3] }, { name: 'b', shape: [2, 4, 3] }, { name: 'c', shape: [2, 2, 3] }],
      build: (g, [a, b, c]) => g.op.concat([a, b, c], 1),
    },
  ],
  Slice: [
    { inputs: [{ name: 'x', shape: [5, 6, 4] }], build: (g, [x]) => g.op.slice(x, [1, -4], [4, 100], [0, 1]) },
    { inputs: [{ name: 'x', shape: [5, 6] }], build: (g, [x]) => g.op.slice(x, [-2, 1], [0, 5], [0, 1], [-1, 1]) },
    { inputs: [{ name: 'x', shape: [7, 6, 5] }], build: (g, [x]) => g.op.slice(x, [1, 0, 4], [7, 100, -100], [0, 2, 1], [2, 3, -2]) },
    // the strided 1^3 downsample's input: every spatial axis stride 2, the innermost spread by a one-hot MatMul
    { inputs: [{ name: 'x', shape: [2, 3, 4, 4, 5] }], build: (g, [x]) => g.op.slice(x, [0, 0, 0], [100, 100, 100], [2, 3, 4], [2, 2, 2]) },
  ],
  Pad: [
    { inputs: [{ name: 'x', shape: [2, 3, 4] }], build: (g, [x]) => g.op.pad(x, [0, 1, 2, 1, 0, 3], 0.5) },
    // negative pads crop (the NCHWc depth taps shift x this way): its gradient pads dy back with zeros
    { inputs: [{ name: 'x', shape: [2, 5, 4] }], build: (g, [x]) => g.op.pad(x, [0, 1, -2, 0, -1, 1]) },
  ],
  Expand: [{ inputs: [{ name: 'x', shape: [3, 1] }], build: (g, [x]) => g.op.expand(x, [2, 3, 4]) }],
  Constant: [{ nonDifferentiable: { inputs: [{ name: 'x', shape: [3] }], build: (g, [x]) => g.op.mul(g.op.constant(tensor('float64', [3], [1, 2, 3])), g.op.sign(x)) } }],
  ConstantOfShape: [{ nonDifferentiable: { inputs: [{ name: 'x', shape: [3] }], build: (g, [x]) => g.op.constantOfShape(g.op.shape(x), 2, 'float64') } }],
  Shape: [{ nonDifferentiable: { inputs: [{ name: 'x', shape: [3, 2] }], build: (g, [x]) => g.op.cast(g.op.shape(x), 'float64') } }],
  ScatterElements: [
    {
      inputs: [
        { name: 'data', shape: [4, 5] },
        { name: 'idx', shape: [3, 5], data: tensor('int64', [3, 5], [0, 1, 2, 3, 0, 1, 1, 0, 3, 2, 3, 0, 2, 0, 1]) },
        { name: 'upd', shape: [3, 5] },
      ],
      build: (g, [d, i, u]) => g.op.scatterElements(d, i, u, { axis: 0, reduction: 'add' }),
    },
    {
      inputs: [
        { name: 'data', shape: [4, 5] },
        { name: 'idx', shape: [2, 5], data: tensor('int64', [2, 5], [0, 1, 2, 3, 0, 1, 3, 0, 2, 2]) },
        { name: 'upd', shape: [2, 5] },
      ],
      build: (g, [d, i, u]) => g.op.scatterElements(d, i, u, { axis: 0 }),
    },
  ],
  GatherElements: [
    {
      inputs: [{ name: 'data', shape: [4, 5] }, { name: 'idx', shape: [4, 3], data: tensor('int64', [4, 3], [0, 4, 4, 1, 1, 2, 3, 0, 3, 2, 2, 2]) }],
      build: (g, [d, i]) => g.op.gatherElements(d, i, 1),
    },
  ],
};

function nonDiffCompare(name: 'greater' | 'less' | 'greaterOrEqual' | 'lessOrEqual' | 'equal'): Check {
  return {
    nonDifferentiable: {
      inputs: [{ name: 'x', shape: [6], sample: awayFromZero }],
      build: (g, [x]) => g.op.cast(g.op[name](x, 0), 'float64'),
    },
  };
}

