// BatchNormalization in inference form (ONNX opset 15, training_mode=0): y = (x - mean) / sqrt(var + eps) *
// scale + B per channel (axis 1), all four parameters [C] graph values. Used as a fused per-channel affine: ORT's
// CPU kernel is several times faster than broadcast Mul/Add with [1,C,1,1,1] operands, and it runs on CUDA
// (training_mode=1 does not: DESIGN §5), so composed training BN = ReduceMean statistics fed into this op.
// Gradient (inv = 1/sqrt(var + eps), xhat = (x - mean) inv, sums over all axes but 1):
//   dx = dy * scale * inv        (itself a BatchNormalization with mean 0, var 1, eps 0)
//   dB = sum(dy),  dscale = sum(dy xhat),  dmean = -scale inv dB,  dvar = -scale inv^2 sum(dy xhat) / 2
import type { GraphBuilder } from './builder.js';
import { GraphError } from '../ir/errors.js';
import type { Value } from '../ir/graph.js';
import { tensor } from '../ir/tensor.js';
import { need } from './infer-helpers.js';
import { type GradContext, type Grads, defineOp } from './op-def.js';

function reduceAxes(x: Value): number[] {
  return [0, ...x.shape.slice(2).map((_, i) => i + 2)];
}

/** Per-channel y = x * a + b with a fused BatchNormalization kernel (mean 0, var 1, eps 0). */
export function channelAffine(g: GraphBuilder, x: Value, a: Value, b?: Value): Value {
  const c = a.shape[0];
  if (typeof c !== 'number') throw new GraphError('channel count must be static', 'BatchNormalization');
  const zeros = g.constant(tensor(x.dtype, [c], new Array(c).fill(0)));
  const ones = g.constant(tensor(x.dtype, [c], new Array(c).fill(1)));
  return g.op.batchNormalization(x, a, b ?? zeros, zeros, ones, { epsilon: 0 });
}

export const batchNormalization = defineOp({
  type: 'BatchNormalization',
  attrs: { epsilon: 'float', momentum: 'float', training_mode: 'int' },
  infer: (ctx) => {
    const x = need(ctx, 0);
    if (ctx.attr('training_mode', 0) !== 0) throw new GraphError('only training_mode=0 (compose training BN from ReduceMean)', ctx.op, ctx.node);
    for (let i = 1; i < 5; i++) {
      const p = need(ctx, i);
      if (p.rank !== 1 || (typeof p.shape[0] === 'number' && typeof x.shape[1] === 'number' && p.shape[0] !== x.shape[1]))
        throw new GraphError(`input ${i} (${p}) must be [C] with C = ${x.shape[1]}`, ctx.op, ctx.node);
    }
    return [{ dtype: x.dtype, shape: [...x.shape] }];
  },
  grad: (ctx: GradContext): Grads => {
    const { g, node } = ctx;
    const [x, scale, , mean, variance] = ctx.inputs as Value[];
    const dy = ctx.dOut[0]!;
    const eps = node.attr('epsilon', 1e-5);
    const axes = reduceAxes(x);
    const inv = g.op.div(1, g.op.sqrt(g.op.add(variance, eps)));
    const needStats = ctx.wants[1] || ctx.wants[3] || ctx.wants[4];
    const db = ctx.wants[2] || ctx.wants[3] ? g.op.reduceSum(dy, axes, { keepdims: 0 }) : undefined;
    let sxh: Value | undefined;
    if (needStats && (ctx.wants[1] || ctx.wants[4])) {
      const c = x.shape[1] as number;
      const ones = g.constant(tensor(x.dtype, [c], new Array(c).fill(1)));
      const zeros = g.constant(tensor(x.dtype, [c], new Array(c).fill(0)));
      const xhat = g.op.batchNormalization(x, ones, zeros, mean, variance, { epsilon: eps });
      sxh = g.op.reduceSum(g.op.mul(dy, xhat), axes, { keepdims: 0 });
    }
    const sInv = g.op.mul(scale, inv);
    return [
      ctx.wants[0] ? channelAffine(g, dy, sInv) : undefined,
      ctx.wants[1] ? sxh : undefined,
      ctx.wants[2] ? db : undefined,
      ctx.wants[3] ? g.op.neg(g.op.mul(sInv, db!)) : undefined,
      ctx.wants[4] ? g.op.mul(g.op.mul(sInv, inv), g.op.mul(sxh!, -0.5)) : undefined,
    ];
  },
  call: (g: GraphBuilder, x: Value, scale: Value, bias: Value, mean: Value, variance: Value, attrs: { epsilon?: number } = {}): Value =>
    g.emit('BatchNormalization', [x, scale, bias, mean, variance], { ...attrs })[0],
});
