// In-place update analysis: on a real train-step graph every carried tensor may be written into its own input
// buffer (online updates are made to depend on the backward pass's readers of their parameter). On small
// hand-made graphs, a reader outside the producer's ancestry (also through a Reshape view) or a non-elementwise
// producer that reads X blocks the aliasing.
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../../native-models/ops/builder.js';
import { elideOutputIdentities } from '../../../../native-models/passes/elide-identities.js';
import { inPlaceSafe } from '../../../../native-models/passes/in-place.js';
import { buildTrainStep, newName } from '../../../../native-models/graphs/train-step.js';
import { resnetPreset } from '../../../../native-models/models/resnet3d.js';

describe('inPlaceSafe', () => {
  it('allows every parameter, state and running statistic of a BYOL step (online updates ordered after their readers)', () => {
    const st = buildTrainStep({
      encoder: resnetPreset(10, { widths: [8, 8, 16, 16] }),
      heads: { projHidden: 32, projOut: 8, predHidden: 32 },
      optimizer: { type: 'lars', momentum: 0.9, eta: 1e-3 },
      batch: 2,
      inputShape: [1, 16, 16, 16],
    });
    const outs = new Set(st.graph.outputs.map((v) => v.name));
    const carried = st.graph.inputs.map((v) => v.name).filter((n) => outs.has(newName(n)));
    const safe = inPlaceSafe(st.graph, carried, newName);
    for (const n of ['target.encoder.conv1.weight', 'state.online.encoder.conv1.weight.momentum', 'online.encoder.bn1.running_var',
      'online.encoder.layer1.0.conv1.weight', 'online.encoder.bn1.weight', 'online.projector.0.weight', 'online.predictor.3.weight']) {
      expect(carried).toContain(n);
    }
    expect(carried.filter((n) => !safe.has(n))).toEqual([]);
  });

  it('sees readers through views and refuses online parameters when their readers are not ordered first', () => {
    // the same graph without the ordering: a conv weight read by the input gradient (through a Reshape view)
    const g = new GraphBuilder('t');
    const w = g.input('w', 'float32', [2, 3]);
    const x = g.input('x', 'float32', [3, 4]);
    const y = g.op.matMul(w, x); // forward: an ancestor of the update
    const dw = g.op.mul(y, 2); // stands in for the weight gradient
    const late = g.op.transpose(g.op.reshape(w, [3, 2]), [1, 0]); // reads w's memory through a view, not an ancestor
    g.output(late, 'late');
    g.output(g.op.sub(w, g.op.reduceSum(dw, [1], { keepdims: 1 })), 'new.w');
    expect([...inPlaceSafe(elideOutputIdentities(g.build()), ['w'], newName)]).toEqual([]);
  });

  it('refuses when a reader is not an ancestor of the update, or the update is not elementwise', () => {
    const g = new GraphBuilder('t');
    const x = g.input('x', 'float32', [4]);
    const y = g.input('y', 'float32', [4]);
    const a = g.op.mul(x, 2); // reads x, feeds the update: fine
    g.output(g.op.add(x, a), 'new.x');
    const side = g.op.mul(y, 3); // reads y but is not an ancestor of new.y
    g.output(side, 'side');
    g.output(g.op.sub(y, 1), 'new.y');
    const z = g.input('z', 'float32', [2, 2]);
    g.output(g.op.transpose(z, [1, 0]), 'new.z'); // reads z while writing it, not elementwise
    const safe = inPlaceSafe(elideOutputIdentities(g.build()), ['x', 'y', 'z'], newName);
    expect([...safe]).toEqual(['x']);
  });
});
