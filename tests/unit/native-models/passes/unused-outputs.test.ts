// MaxPool's Indices are dropped where nothing reads them (passes/unused-outputs.ts): the BYOL step keeps them for
// the online network's gradient only, the inference encoder computes none, and both graphs still run.
import { describe, expect, it } from 'vitest';
import { buildEncoder } from '../../../../native-models/graphs/encoder.js';
import { buildTrainStep } from '../../../../native-models/graphs/train-step.js';
import { initParams } from '../../../../native-models/init/init-params.js';
import { GraphSession } from '../../../../native-models/runtime/session.js';
import { tinyByol, tinyView } from '../graphs/tiny-byol.js';

const maxPools = (nodes: { opType: string; name: string; outputs: unknown[] }[]) =>
  nodes.filter((n) => n.opType === 'MaxPool').map((n) => ({ name: n.name, outputs: n.outputs.length }));

describe('unused MaxPool Indices', () => {
  it('the train step keeps Indices in the online network only; the encoder has none; both run', async () => {
    const cfg = tinyByol();
    const step = buildTrainStep(cfg);
    const pools = maxPools(step.graph.nodes);
    expect(pools.length).toBe(2);
    expect(pools.find((p) => p.name.startsWith('online.'))?.outputs).toBe(2);
    expect(pools.find((p) => p.name.startsWith('target.'))?.outputs).toBe(1);
    const params = initParams(step.specs, 1);
    const enc = Object.fromEntries(Object.entries(params).filter(([k]) => k.startsWith('online.encoder.')).map(([k, v]) => [k.slice('online.encoder.'.length), v]));
    const graph = buildEncoder(cfg.encoder, enc, { spatial: [16, 16, 16] });
    expect(maxPools(graph.nodes).map((p) => p.outputs)).toEqual([1]);
    const s = await GraphSession.create(graph);
    const out = await s.run({ image: tinyView(3) });
    expect(out.embedding.dims).toEqual([2, 16]);
    expect([...(out.embedding.data as Float32Array)].every(Number.isFinite)).toBe(true);
    await s.release();
  });
});
