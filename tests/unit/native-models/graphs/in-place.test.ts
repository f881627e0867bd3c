// In-place update analysis: on a real train-step graph, target parameters, optimiser state and BN running
// statistics may be written into their own input buffers; online parameters (read by the backward pass
// independently of their update) may not. On small hand-made graphs, a reader outside the producer's ancestry
// or a non-elementwise producer that reads X blocks the aliasing.
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../../native-models/ir/builder.js';
import { elideOutputIdentities } from '../../../../native-models/graphs/elide-identities.js';
import { inPlaceSafe } from '../../../../native-models/graphs/in-place.js';
import { buildTrainStep, newName } from '../../../../native-models/graphs/train-step.js';
import { resnetPreset } from '../../../../native-models/models/resnet3d.js';

describe('inPlaceSafe', () => {
  it('allows target, state and running statistics, not online parameters, in a BYOL step', () => {
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
    const others = carried.filter((n) => !n.startsWith('online.') || /running_(mean|var)$/.test(n));
    expect(others.some((n) => n.startsWith('target.'))).toBe(true);
    expect(others.some((n) => n.startsWith('state.'))).toBe(true);
    expect(others.some((n) => n.endsWith('running_var'))).toBe(true);
    for (const n of others) expect(safe.has(n), n).toBe(true);
    // read by input gradients (convs after the stem, BN scales) or by the next layer's backward: not in place
    for (const n of ['online.encoder.layer1.0.conv1.weight', 'online.encoder.bn1.weight', 'online.projector.0.weight', 'online.predictor.3.weight']) {
      expect(carried).toContain(n);
      expect(safe.has(n), n).toBe(false);
    }
    // the stem's weight is read only by the forward conv and its own weight gradient: safe
    expect(safe.has('online.encoder.conv1.weight')).toBe(true);
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
