// Recomputing the stem conv in the backward pass: the graph has one more Conv (reading the input through a data
// dependency on the backward pass), no backward node reads the forward stem output any more, and one BYOL step
// gives bit-identical loss and outputs with and without it.
import { describe, expect, it } from 'vitest';
import { initParams } from '../../../../native-models/init/init-params.js';
import type { TensorData } from '../../../../native-models/ir/tensor.js';
import { buildTrainStep } from '../../../../native-models/graphs/train-step.js';
import { resnetPreset } from '../../../../native-models/models/resnet3d.js';
import { GraphSession } from '../../../../native-models/runtime/session.js';
import { tinyByol, tinyView } from '../graphs/tiny-byol.js';

const cfg = tinyByol({
  encoder: resnetPreset(10, { widths: [32, 8, 16, 16] }), // stem output 4x its input: recomputed
  optimizer: { type: 'lars', momentum: 0.9, eta: 1e-3 },
});


describe('recomputeInBackward', () => {
  it('recomputes the stem conv for the backward pass with identical results', async () => {
    const on = buildTrainStep({ ...cfg, recompute: true });
    const off = buildTrainStep(cfg);
    const convs = (gr: typeof on) => gr.graph.nodes.filter((n) => n.opType === 'Conv').length;
    expect(convs(on)).toBe(convs(off) + 1);
    const stem = on.graph.nodes.find((n) => n.name === 'online.online.encoder.conv1.Conv')!;
    expect(stem).toBeDefined();
    const readers = on.graph.nodes.filter((n) => n.inputs.includes(stem.outputs[0]));
    expect(readers.every((n) => !n.name.startsWith('grad.'))).toBe(true);
    const recomputed = on.graph.nodes.find((n) => n.opType === 'Conv' && n.name.startsWith('recompute.'))!;
    expect(recomputed.inputs[1]).toBe(stem.inputs[1]);
    const params = initParams(on.specs, 3);
    const feeds: Record<string, TensorData> = { ...params, view1: tinyView(1), view2: tinyView(2) };
    const scalar = (v: number): TensorData => ({ dtype: 'float32', dims: [], data: Float32Array.from([v]) });
    Object.assign(feeds, { 'hp.lr': scalar(0.1), 'hp.weight_decay': scalar(1e-4), 'hp.tau': scalar(0.99) });
    const outs: Record<string, TensorData>[] = [];
    for (const st of [on, off]) {
      const s = await GraphSession.create(st.graph, { intraOpNumThreads: 2 });
      const f: Record<string, TensorData> = {};
      for (const n of s.inputNames) f[n] = feeds[n] ?? { dtype: 'float32', dims: st.stateSpecs.find((x) => x.name === n)!.dims, data: new Float32Array(st.stateSpecs.find((x) => x.name === n)!.dims.reduce((a, b) => a * b, 1)) };
      outs.push(await s.run(f));
      await s.release();
    }
    expect(Object.keys(outs[0]).sort()).toEqual(Object.keys(outs[1]).sort());
    for (const k of Object.keys(outs[0])) expect(Array.from(outs[0][k].data as Float32Array), k).toEqual(Array.from(outs[1][k].data as Float32Array));
  }, 120_000);
});
