// Cast (ONNX opset 13): the gradient of a float->float cast is the cast back (JAX convert_element_type transpose).
import type { GraphBuilder } from './builder.js';
import { type DType, ONNX_DTYPE, dtypeFromOnnx, isFloat } from '../ir/dtype.js';
import type { Value } from '../ir/graph.js';
import { need } from './infer-helpers.js';
import { type GradContext, type Grads, defineOp } from './op-def.js';

export const cast = defineOp({
  type: 'Cast',
  attrs: { to: 'int' },
  infer: (ctx) => [{ dtype: dtypeFromOnnx(ctx.attr('to', 1)), shape: [...need(ctx, 0).shape] }],
  grad: (ctx: GradContext): Grads => {
    const x = ctx.inputs[0]!;
    if (!isFloat(x.dtype) || !isFloat(ctx.outputs[0].dtype)) return [undefined];
    return [ctx.g.op.cast(ctx.dOut[0]!, x.dtype)];
  },
  call: (g: GraphBuilder, x: Value, to: DType): Value => g.emit('Cast', [x], { to: ONNX_DTYPE[to] })[0],
});
