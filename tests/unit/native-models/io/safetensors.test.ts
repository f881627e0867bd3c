// safetensors round trip, validation, and a cross-check against an independent reader/writer in Python
// (numpy, written from the format spec: python3-safetensors is not packaged by Debian).
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSafetensors, encodeSafetensors, SafetensorsError, type TensorMap } from '../../../../native-models/io/safetensors.js';

function sample(): TensorMap {
  return {
    'layer1.0.conv1.weight': { dtype: 'float32', dims: [2, 1, 3], data: Float32Array.from([1.5, -2, 3, 4, 5.25, 6]) },
    'bn1.num_batches_tracked': { dtype: 'int64', dims: [], data: BigInt64Array.from([7n]) },
    'x64': { dtype: 'float64', dims: [3], data: Float64Array.from([Math.PI, -1e-300, 1e300]) },
    'mask': { dtype: 'uint8', dims: [3], data: Uint8Array.from([0, 1, 255]) },
    'idx': { dtype: 'int32', dims: [1, 1], data: Int32Array.from([-5]) },
  };
}

const PY_READ_WRITE = String.raw`
import json, struct, sys
import numpy as np
DT = {'F32': '<f4', 'F64': '<f8', 'I64': '<i8', 'I32': '<i4', 'U8': 'u1'}
raw = open(sys.argv[1], 'rb').read()
n = struct.unpack('<Q', raw[:8])[0]
assert (8 + n) % 8 == 0, 'data not 8-aligned'
hdr = json.loads(raw[8:8 + n])
data = raw[8 + n:]
summary = {}
for k, v in hdr.items():
    if k == '__metadata__':
        summary[k] = v
        continue
    b, e = v['data_offsets']
    a = np.frombuffer(data[b:e], dtype=DT[v['dtype']]).reshape(v['shape'])
    summary[k] = {'shape': list(a.shape), 'values': [str(x) for x in a.reshape(-1).tolist()]}
print(json.dumps(summary))
# write a file of our own: one F64 and one I64 tensor, header padded to 8 with spaces
t = {'a': np.arange(6, dtype='<f8').reshape(2, 3) * 0.5, 'b': np.array([-3, 9], dtype='<i8')}
off, parts, h = 0, [], {}
for k in ['a', 'b']:
    by = t[k].tobytes()
    h[k] = {'dtype': 'F64' if k == 'a' else 'I64', 'shape': list(t[k].shape), 'data_offsets': [off, off + len(by)]}
    parts.append(by); off += len(by)
hj = json.dumps(h).encode()
hj += b' ' * ((8 - (8 + len(hj)) % 8) % 8)
open(sys.argv[2], 'wb').write(struct.pack('<Q', len(hj)) + hj + b''.join(parts))
`;

describe('safetensors', () => {
  it('round-trips every dtype, shape and metadata', () => {
    const t = sample();
    const bytes = encodeSafetensors(t, { format: 'pt' });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + n) % 8).toBe(0);
    const back = decodeSafetensors(bytes);
    expect(back.metadata).toEqual({ format: 'pt' });
    for (const [k, v] of Object.entries(t)) {
      expect(back.tensors[k].dtype).toBe(v.dtype);
      expect(back.tensors[k].dims).toEqual(v.dims);
      expect(Array.from(back.tensors[k].data as ArrayLike<unknown>)).toEqual(Array.from(v.data as ArrayLike<unknown>));
    }
  });

  it('rejects holes, overlaps and bad sizes with the file name in the message', () => {
    const bad = (header: object, dataBytes: number): Uint8Array => {
      const j = Buffer.from(JSON.stringify(header));
      const out = new Uint8Array(8 + j.length + dataBytes);
      new DataView(out.buffer).setBigUint64(0, BigInt(j.length), true);
      out.set(j, 8);
      return out;
    };
    expect(() => decodeSafetensors(bad({ a: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }, 12), 'x.safetensors'))
      .toThrow(/x\.safetensors.*hole/);
    expect(() => decodeSafetensors(bad({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, 8), 'y')).toThrow(SafetensorsError);
    expect(() => decodeSafetensors(bad({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, 8), 'z')).toThrow(/trailing/);
    expect(() => encodeSafetensors({ a: { dtype: 'float32', dims: [3], data: new Float32Array(2) } })).toThrow(/shape/);
  });

  it('agrees with an independent Python reader and writer (Debian python3 + numpy)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vb-st-'));
    const ours = join(dir, 'ours.safetensors');
    const theirs = join(dir, 'theirs.safetensors');
    const script = join(dir, 'rw.py');
    writeFileSync(ours, encodeSafetensors(sample(), { note: 'x' }));
    writeFileSync(script, PY_READ_WRITE);
    const out = JSON.parse(execFileSync('/usr/bin/python3', [script, ours, theirs], { encoding: 'utf8' }));
    expect(out.__metadata__).toEqual({ note: 'x' });
    expect(out['layer1.0.conv1.weight']).toEqual({ shape: [2, 1, 3], values: ['1.5', '-2.0', '3.0', '4.0', '5.25', '6.0'] });
    expect(out['bn1.num_batches_tracked']).toEqual({ shape: [], values: ['7'] });
    expect(out.x64.values.map(Number)).toEqual([Math.PI, -1e-300, 1e300]);
    expect(out.mask.values).toEqual(['0', '1', '255']);
    const back = decodeSafetensors(readFileSync(theirs), theirs);
    expect(back.tensors.a.dims).toEqual([2, 3]);
    expect(Array.from(back.tensors.a.data as Float64Array)).toEqual([0, 0.5, 1, 1.5, 2, 2.5]);
    expect(Array.from(back.tensors.b.data as BigInt64Array)).toEqual([-3n, 9n]);
  });
});
