// The autodiff fails loudly (native-models/autodiff/gradients.ts): an op without a gradient rule on a float path
// from a differentiated value to the loss is an error naming the op and node; a path cut by an integer cast is an
// unconnected input, an error by default; a rule that returns a gradient of the wrong shape or dtype, or none for a
// wanted input, is an error naming the op; stop-gradients and zero-gradient ops end paths on purpose.
import { describe, expect, it } from 'vitest';
import { gradients } from '../../../../native-models/autodiff/gradients.js';
import { GraphError } from '../../../../native-models/ir/errors.js';
import { Node, Value } from '../../../../native-models/ir/graph.js';
import { GraphBuilder } from '../../../../native-models/ops/builder.js';

function scalarLoss(g: GraphBuilder, v: Value): Value {
  return g.op.reduceSum(v, undefined, { keepdims: 0 });
}

describe('autodiff refuses what it cannot differentiate', () => {
  it('a node whose op type has no rule in the registry (e.g. inserted by a pass) on the path, named in the error', () => {
    const g = new GraphBuilder('no-rule');
    const x = g.input('x', 'float32', [4]);
    const h = g.op.reduceSum(g.op.mul(x, 2), undefined, { keepdims: 0 });
    const loss = new Value('erf.out', 'float32', []);
    const node = new Node('Erf', 'block1.erf', [h], [loss], {});
    loss.producer = node;
    g.nodes.push(node);
    expect(() => gradients(g, loss, [x])).toThrow(GraphError);
    expect(() => gradients(g, loss, [x])).toThrow(/^Erf \(block1\.erf\): no gradient rule \(op type not in the registry\) on the path from x/);
    // stopping the gradient at the op's input is the explicit way to cut the path (then x is unconnected)
    expect(() => gradients(g, loss, [x], { stopGradients: [h], scope: 'g2' })).toThrow(/does not depend on x/);
  });

  it('a registered op declared non-differentiable with a float output on the path, with its reason', () => {
    const g = new GraphBuilder('non-diff');
    const x = g.input('x', 'float32', [3]);
    // ConstantOfShape's output is defined by its input vector (a shape), not differentiable in it
    const c = g.op.constantOfShape(g.op.mul(x, 1), 1, 'float32');
    const loss = scalarLoss(g, c);
    expect(() => gradients(g, loss, [x])).toThrow(/^ConstantOfShape \(ConstantOfShape\): no gradient rule \(output depends only on a shape\)/);
  });

  it('a path cut by a cast to an integer type leaves the input unconnected: an error unless zeros are asked for', () => {
    const g = new GraphBuilder('cut');
    const x = g.input('x', 'float32', [3]);
    const loss = scalarLoss(g, g.op.cast(g.op.cast(x, 'int64'), 'float32'));
    expect(() => gradients(g, loss, [x])).toThrow(/does not depend on x through any differentiable path/);
    expect(gradients(g, loss, [x], { unconnected: 'zeros' })[0].shape).toEqual([3]);
  });

  it('zero-gradient ops (Floor) end the path without error when another path connects the input', () => {
    const g = new GraphBuilder('floor');
    const x = g.input('x', 'float32', [3]);
    const loss = scalarLoss(g, g.op.add(g.op.floor(x), g.op.mul(x, 3)));
    const [dx] = gradients(g, loss, [x]);
    expect(dx.shape).toEqual([3]);
  });

  it('a custom rule returning a gradient of the wrong shape, the wrong dtype, or none for a wanted input', () => {
    const build = (grad: (g: GraphBuilder, x: Value, w: Value, dy: Value) => (Value | undefined)[]) => {
      const g = new GraphBuilder('bad-rule');
      const x = g.input('x', 'float32', [2, 3]);
      const w = g.input('w', 'float32', [3]);
      const [y] = g.withCustomGradient([x, w], () => [g.op.mul(x, w)], ({ dOut }) => grad(g, x, w, dOut[0]!));
      return { g, x, w, loss: scalarLoss(g, y) };
    };
    const wrongShape = build((g, x, w, dy) => [dy, dy]); // dw must be [3], not [2, 3]
    expect(() => gradients(wrongShape.g, wrongShape.loss, [wrongShape.x, wrongShape.w])).toThrow(/custom-gradient region.*input 1 w:float32\[3\]: shape \[2,3\], input is \[3\]/);
    const wrongDtype = build((g, x, w, dy) => [g.op.cast(dy, 'float64'), undefined]);
    expect(() => gradients(wrongDtype.g, wrongDtype.loss, [wrongDtype.x])).toThrow(/dtype float64, input is float32/);
    const missing = build((g, x, w, dy) => [dy, undefined]);
    expect(() => gradients(missing.g, missing.loss, [missing.x, missing.w])).toThrow(/returned no gradient for input 1 w/);
    const right = build((g, x, w, dy) => [g.op.mul(dy, w), g.op.reduceSum(g.op.mul(dy, x), [0], { keepdims: 0 })]);
    expect(gradients(right.g, right.loss, [right.x, right.w]).map((d) => d.shape)).toEqual([[2, 3], [3]]);
  });
});
