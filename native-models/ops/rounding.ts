// Rounding ops: Ceil and Floor (ONNX opset 13). Piecewise constant: declared zeroGradient (the derivative is 0
// almost everywhere). Ceil(Min(y, 1)) is the fast 0/1 mask of y > 0 for y >= 0 used by Relu's gradient.
import type { GraphBuilder } from './builder.js';
import type { Value } from '../ir/graph.js';
import { sameAsInput } from './infer-helpers.js';
import { defineOp } from './op-def.js';

export const ceil = defineOp({
  type: 'Ceil', attrs: {}, infer: (c) => sameAsInput(c),
  zeroGradient: 'piecewise constant: zero derivative almost everywhere',
  call: (g: GraphBuilder, x: Value): Value => g.emit('Ceil', [x])[0],
});

export const floor = defineOp({
  type: 'Floor', attrs: {}, infer: (c) => sameAsInput(c),
  zeroGradient: 'piecewise constant: zero derivative almost everywhere',
  call: (g: GraphBuilder, x: Value): Value => g.emit('Floor', [x])[0],
});
