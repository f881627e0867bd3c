import { describe, expect, it } from 'vitest';
import ort from 'onnxruntime-node';
import { additionModel, probeProviders, PROBED_PROVIDERS } from '../../../../native-models/runtime/providers.js';

describe('probeProviders', () => {
  it('the hand-encoded probe model is a valid ONNX model computing a + b', async () => {
    const s = await ort.InferenceSession.create(additionModel(), { executionProviders: ['cpu'] });
    expect(s.inputNames).toEqual(['a', 'b']);
    expect(s.outputNames).toEqual(['c']);
    const r = await s.run({ a: new ort.Tensor('float32', Float32Array.of(2), [1]), b: new ort.Tensor('float32', Float32Array.of(5), [1]) });
    expect(Array.from(r.c.data as Float32Array)).toEqual([7]);
    await s.release();
  });

  it('tries every provider, finds cpu working, explains failures, and caches the result', async () => {
    const first = probeProviders();
    expect(probeProviders()).toBe(first);
    const list = await first;
    expect(list.map((p) => p.name)).toEqual([...PROBED_PROVIDERS]);
    expect(list.find((p) => p.name === 'cpu')).toMatchObject({ works: true });
    for (const p of list) {
      expect(typeof p.works).toBe('boolean');
      expect(p.detail).toBeTruthy();
    }
  });
});
