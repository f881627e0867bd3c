// The engine's own error base behaves like the app's VoxelbaseError: `name` is the subclass name, so the app's
// serializeError carries it over the wire and deserializeError rebuilds an Error with that name and its fields.
import { describe, expect, it } from 'vitest';
import { GraphError, NativeModelsError } from '../../../../native-models/ir/errors.js';
import { SafetensorsError, decodeSafetensors } from '../../../../native-models/io/safetensors.js';
import { deserializeError, serializeError } from '../../../../app/contract/errors.js';

describe('NativeModelsError', () => {
  it('names errors by subclass and survives serialisation', () => {
    const e = new GraphError('cannot broadcast dims 2 and 3', 'Add', 'layer1.Add');
    expect(e).toBeInstanceOf(NativeModelsError);
    expect(e.name).toBe('GraphError');
    expect(e.message).toBe('Add (layer1.Add): cannot broadcast dims 2 and 3');
    const wire = serializeError(e);
    expect(wire).toMatchObject({ name: 'GraphError', message: e.message, op: 'Add', node: 'layer1.Add' });
    const back = deserializeError(JSON.parse(JSON.stringify(wire)));
    expect(back.name).toBe('GraphError');
    expect((back as Error & { node?: string }).node).toBe('layer1.Add');
  });

  it('safetensors errors are NativeModelsErrors named SafetensorsError', () => {
    let caught: unknown;
    try {
      decodeSafetensors(new Uint8Array([1, 2, 3]));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(SafetensorsError);
    expect(caught).toBeInstanceOf(NativeModelsError);
    expect(serializeError(caught).name).toBe('SafetensorsError');
  });
});
