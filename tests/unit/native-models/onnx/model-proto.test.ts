// Serialisation round-trip: IR -> ModelProto bytes -> IR keeps names, dtypes, symbolic/static dims, every
// attribute type, initializer bytes and optional-input holes; the bytes load in onnxruntime and give the same
// results as the original; and the header says ir_version 8 / opset 17.
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../../native-models/ops/builder.js';
import { tensor } from '../../../../native-models/ir/tensor.js';
import { IR_VERSION, OPSET, loadModel, serializeModel } from '../../../../native-models/onnx/model-proto.js';
import { GraphSession } from '../../../../native-models/runtime/session.js';

function sample() {
  const g = new GraphBuilder('roundtrip');
  const x = g.input('x', 'float32', ['n', 2, 4, 4, 4]);
  const w = g.scope('conv1', () => g.initializer('weight', tensor('float32', [3, 2, 3, 3, 3], Array.from({ length: 162 }, (_, i) => Math.sin(i)))));
  const y = g.scope('conv1', () => g.op.conv(x, w, undefined, { pads: [1, 1, 1, 1, 1, 1], strides: [1, 1, 1] }));
  const p = g.op.maxPool(g.op.relu(y), { kernel_shape: [2, 2, 2], strides: [2, 2, 2] });
  const gm = g.op.gemm(g.op.flatten(p, 1), g.initializer('fc', tensor('float32', [24, 5], Array.from({ length: 120 }, (_, i) => Math.cos(i)))), undefined, { alpha: 0.5, transA: 0 });
  const m = g.op.constantOfShape(g.ints([2]), 1.5, 'float64');
  const pd = g.op.pad(x, [0, 0, 1, 0, 0, 0, 0, 1, 0, 0], undefined, 'edge');
  g.output(gm, 'logits');
  g.output(m, 'filled');
  g.output(g.op.reduceMean(pd, [2, 3, 4]), 'padmean');
  return g.build();
}

describe('ONNX ModelProto serialisation', () => {
  it('round-trips the IR', () => {
    const graph = sample();
    const bytes = serializeModel(graph);
    const back = loadModel(bytes);
    expect(back.irVersion).toBe(IR_VERSION);
    expect(IR_VERSION).toBe(8);
    expect(back.opset).toBe(OPSET);
    expect(OPSET).toBe(17);
    expect(back.producer).toBe('voxelbase');
    const g2 = back.graph;
    expect(g2.name).toBe('roundtrip');
    expect(g2.inputs.map((v) => [v.name, v.dtype, v.shape])).toEqual([['x', 'float32', ['n', 2, 4, 4, 4]]]);
    expect(g2.outputs.map((v) => v.name)).toEqual(['logits', 'filled', 'padmean']);
    expect(g2.outputs[0].shape).toEqual(graph.outputs[0].shape);
    expect(g2.nodes.map((n) => [n.opType, n.name])).toEqual(graph.nodes.map((n) => [n.opType, n.name]));
    for (let i = 0; i < graph.nodes.length; i++) {
      expect(g2.nodes[i].inputs.map((v) => v?.name)).toEqual(graph.nodes[i].inputs.map((v) => v?.name));
      expect(g2.nodes[i].outputs.map((v) => v.name)).toEqual(graph.nodes[i].outputs.map((v) => v.name));
      expect(g2.nodes[i].attrs).toEqual(graph.nodes[i].attrs);
    }
    expect(g2.initializers.map((i) => i.value.name)).toEqual(graph.initializers.map((i) => i.value.name));
    const w = g2.initializers.find((i) => i.value.name === 'conv1.weight')!;
    expect(w.data.dims).toEqual([3, 2, 3, 3, 3]);
    expect(Array.from(w.data.data as Float32Array)).toEqual(Array.from(graph.initializers.find((i) => i.value.name === 'conv1.weight')!.data.data as Float32Array));
    // serialising the loaded graph again gives the same bytes
    expect(Buffer.from(serializeModel(g2)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('keeps float attributes as floats and tensor attributes with their dtype', () => {
    const g = sample();
    const gemm = loadModel(serializeModel(g)).graph.nodes.find((n) => n.opType === 'Gemm')!;
    expect(gemm.attrs.alpha).toEqual({ type: 'float', value: 0.5 });
    expect(gemm.attrs.transA).toEqual({ type: 'int', value: 0 });
    const cos = loadModel(serializeModel(g)).graph.nodes.find((n) => n.opType === 'ConstantOfShape')!;
    expect(cos.attrs.value.type).toBe('tensor');
    expect((cos.attrs.value.value as { dtype: string }).dtype).toBe('float64');
  });

  it('serialised bytes run in onnxruntime', async () => {
    const graph = sample();
    const s1 = await GraphSession.create(serializeModel(graph));
    const s2 = await GraphSession.create(serializeModel(loadModel(serializeModel(graph)).graph));
    const x = tensor('float32', [2, 2, 4, 4, 4], Array.from({ length: 256 }, (_, i) => Math.sin(i * 0.37)));
    const a = await s1.run({ x });
    const b = await s2.run({ x });
    expect(a.logits.dims).toEqual([2, 5]);
    expect(Array.from(a.logits.data as Float32Array)).toEqual(Array.from(b.logits.data as Float32Array));
    expect(Array.from(a.filled.data as Float64Array)).toEqual([1.5, 1.5]);
  });

  it('omits initializers on request (weights fed as inputs)', () => {
    const bytes = serializeModel(sample(), { omitInitializers: true });
    expect(loadModel(bytes).graph.initializers).toEqual([]);
  });

  it('writes metadata_props and doc_string, read back by loadModel, and ORT still loads the model', async () => {
    const metadata = { 'voxelbase.run': '7', 'input.spacing_mm': '[2,2,2]', empty: '' };
    const bytes = serializeModel(sample(), { metadata, docString: 'an encoder' });
    const back = loadModel(bytes);
    expect(back.metadata).toEqual(metadata);
    expect(back.docString).toBe('an encoder');
    expect(loadModel(serializeModel(sample())).metadata).toEqual({});
    const s = await GraphSession.create(bytes);
    expect(s.outputNames).toContain('logits');
    await s.release();
  });
});
