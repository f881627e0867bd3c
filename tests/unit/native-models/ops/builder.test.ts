// GraphBuilder: deterministic scoped names, inputs/initializers/constants, outputs (with renaming), pruning,
// attribute typing from the registry, and domain errors.
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../../native-models/ops/builder.js';
import { GraphError } from '../../../../native-models/ir/errors.js';
import { tensor } from '../../../../native-models/ir/tensor.js';

function block(g: GraphBuilder) {
  const x = g.input('x', 'float32', ['n', 2, 4, 4, 4]);
  return g.scope('layer1', () =>
    g.scope(0, () => {
      const w = g.scope('conv1', () => g.input('weight', 'float32', [2, 2, 3, 3, 3]));
      const y = g.scope('conv1', () => g.op.conv(x, w, undefined, { pads: [1, 1, 1, 1, 1, 1] }));
      return g.op.relu(g.op.add(y, x));
    }),
  );
}

describe('GraphBuilder', () => {
  it('atRoot leaves every scope for its body and restores them afterwards', () => {
    const g = new GraphBuilder('root');
    g.scope('layer1', () =>
      g.scope(0, () => {
        const w = g.atRoot(() => g.input('layer1.0.conv1.weight', 'float32', [1]));
        expect(w.name).toBe('layer1.0.conv1.weight');
        expect(g.prefix).toBe('layer1.0');
        expect(g.qualify('y')).toBe('layer1.0.y');
      }),
    );
    expect(g.prefix).toBe('');
  });

  it('names nodes, values and inputs deterministically within scopes', () => {
    const g1 = new GraphBuilder('a');
    const g2 = new GraphBuilder('a');
    const y1 = block(g1);
    block(g2);
    expect(g1.inputs.map((v) => v.name)).toEqual(['x', 'layer1.0.conv1.weight']);
    expect(g1.nodes.map((n) => n.name)).toEqual(['layer1.0.conv1.Conv', 'layer1.0.Add', 'layer1.0.Relu']);
    expect(g1.nodes.map((n) => n.name)).toEqual(g2.nodes.map((n) => n.name));
    expect(y1.name).toBe('layer1.0.Relu');
    // repeated ops in one scope get numbered
    const a = g1.op.neg(y1);
    const b = g1.op.neg(y1);
    expect([a.name, b.name]).toEqual(['Neg', 'Neg_1']);
  });

  it('types attributes from the op schema (float vs int) and rejects unknown ones', () => {
    const g = new GraphBuilder('attrs');
    const a = g.input('a', 'float32', [2, 3]);
    const b = g.input('b', 'float32', [3, 4]);
    const y = g.op.gemm(a, b, undefined, { alpha: 2, transB: 0 });
    expect(y.producer!.attrs.alpha).toEqual({ type: 'float', value: 2 });
    expect(y.producer!.attrs.transB).toEqual({ type: 'int', value: 0 });
    expect(() => g.emit('Relu', [a], { alpha: 1 })).toThrow(/Relu \(Relu\): unknown attribute 'alpha'/);
    expect(() => g.emit('NoSuchOp', [a])).toThrow(GraphError);
  });

  it('shares small constants and numbers operands with the dtype of the other side', () => {
    const g = new GraphBuilder('consts');
    const x = g.input('x', 'float64', [3]);
    const y = g.op.mul(x, 2);
    const z = g.op.add(y, 2);
    expect(y.producer!.inputs[1]).toBe(z.producer!.inputs[1]);
    expect(y.producer!.inputs[1]!.dtype).toBe('float64');
    expect(g.initializers.length).toBe(1);
  });

  it('renames outputs through Identity and prunes what no output needs', () => {
    const g = new GraphBuilder('out');
    const x = g.input('x', 'float32', [3]);
    const used = g.op.exp(x);
    g.op.log(x); // dead
    g.constant(tensor('float32', [100], new Array(100).fill(1))); // unused initializer
    const o = g.output(used, 'result');
    expect(o.name).toBe('result');
    const graph = g.build();
    expect(graph.nodes.map((n) => n.opType)).toEqual(['Exp', 'Identity']);
    expect(graph.initializers).toEqual([]);
    expect(g.build({ prune: false }).nodes.length).toBe(3);
    expect(() => g.output(used, 'result')).toThrow(/already used/);
    expect(() => new GraphBuilder('empty').build()).toThrow(/no outputs/);
  });

  it('rejects values from another graph and duplicate names', () => {
    const g1 = new GraphBuilder('g1');
    const g2 = new GraphBuilder('g2');
    const x = g1.input('x', 'float32', [3]);
    expect(() => g2.op.relu(x)).toThrow(/does not belong to graph 'g2'/);
    expect(() => g1.input('x', 'float32', [3])).toThrow(/already used/);
  });
});
