// Checkpoint files of a run (app/services/runs/checkpoints.ts): a written checkpoint reads back bit for bit with its
// step, loader position, seed and configuration; only the newest `keep` stay; a truncated or bit-flipped file is
// refused by name and skipped in favour of the next older one (never loaded); a stray temporary file of a killed
// writer is neither listed nor loaded, and is cleaned up by the next write; the file is plain safetensors that
// numpy reads by the format's specification.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  checkpointName,
  latestCheckpoint,
  listCheckpoints,
  readCheckpoint,
  writeCheckpoint,
  type CheckpointMeta,
} from '../../../../../app/services/runs/index.js';
import type { TensorData } from '../../../../../native-models/index.js';
import type { PretrainConfig } from '../../../../../app/contract/types/runs.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-ckpt-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let dir: string;
let n = 0;
beforeEach(() => {
  dir = path.join(root, `c${n++}`);
});

const config = { arch: 'resnet10', seed: 5, steps: 100 } as unknown as PretrainConfig;
const meta = (step: number): CheckpointMeta => ({ run: 7, step, loaderPosition: step, seed: 5, config, createdAt: '2026-01-01T00:00:00.000Z' });

function tensors(step: number): Record<string, TensorData> {
  const w = new Float32Array(1000);
  for (let i = 0; i < w.length; i++) w[i] = Math.sin(i * 0.37 + step);
  return {
    'online.encoder.conv1.weight': { dtype: 'float32', dims: [10, 100], data: w },
    'online.encoder.bn1.num_batches_tracked': { dtype: 'int64', dims: [], data: BigInt64Array.of(BigInt(2 * step)) },
    'state.online.encoder.conv1.weight.momentum': { dtype: 'float32', dims: [10, 100], data: w.map((v) => v / 2) },
  };
}

describe('run checkpoints', () => {
  it('round-trips tensors and metadata bit for bit, and keeps the newest K', () => {
    for (const s of [10, 20, 30, 40]) writeCheckpoint(dir, meta(s), tensors(s), 2);
    expect(listCheckpoints(dir).map((c) => c.step)).toEqual([30, 40]);
    const c = readCheckpoint(path.join(dir, checkpointName(40)));
    expect(c).toMatchObject({ run: 7, step: 40, loaderPosition: 40, seed: 5, file: 'step-000000040.safetensors', config });
    const t = tensors(40);
    for (const k of Object.keys(t)) {
      expect(c.tensors[k].dims).toEqual(t[k].dims);
      expect(Buffer.from(c.tensors[k].data.buffer, c.tensors[k].data.byteOffset, c.tensors[k].data.byteLength).equals(Buffer.from(t[k].data.buffer))).toBe(true);
    }
    expect(latestCheckpoint(dir).checkpoint?.step).toBe(40);
    expect(latestCheckpoint(dir, { step: 30 }).checkpoint?.step).toBe(30);
    expect(latestCheckpoint(dir, { step: 20 }).checkpoint).toBeNull();
  });

  it('never loads a truncated or corrupt checkpoint: it names it and falls back to the older one', () => {
    for (const s of [1, 2, 3]) writeCheckpoint(dir, meta(s), tensors(s), 3);
    // step 3: one bit flipped in the tensor bytes (the header still parses); step 2: cut short
    const f3 = path.join(dir, checkpointName(3));
    const b = fs.readFileSync(f3);
    b[b.length - 100] ^= 0x10;
    fs.writeFileSync(f3, b);
    const f2 = path.join(dir, checkpointName(2));
    fs.truncateSync(f2, fs.statSync(f2).size - 7);
    expect(() => readCheckpoint(f3)).toThrow(/step-000000003.safetensors is corrupt: its tensor bytes fail their CRC-32/);
    expect(() => readCheckpoint(f2)).toThrow(/step-000000002.safetensors is not a whole safetensors file/);
    const { checkpoint, skipped } = latestCheckpoint(dir);
    expect(checkpoint?.step).toBe(1);
    expect(skipped).toHaveLength(2);
  });

  it('ignores a half-written temporary file and removes it at the next write', () => {
    writeCheckpoint(dir, meta(5), tensors(5), 3);
    const stray = path.join(dir, `${checkpointName(6)}.999999.tmp`);
    fs.writeFileSync(stray, fs.readFileSync(path.join(dir, checkpointName(5))).subarray(0, 200));
    expect(listCheckpoints(dir).map((c) => c.step)).toEqual([5]);
    expect(latestCheckpoint(dir).checkpoint?.step).toBe(5);
    writeCheckpoint(dir, meta(7), tensors(7), 3);
    expect(fs.existsSync(stray)).toBe(false);
    expect(fs.readdirSync(dir).sort()).toEqual([checkpointName(5), checkpointName(7)]);
  });

  it('refuses a file that is not a Voxelbase checkpoint', () => {
    fs.mkdirSync(dir, { recursive: true });
    const f = path.join(dir, checkpointName(1));
    fs.writeFileSync(f, Buffer.from('not a checkpoint at all, just text'));
    expect(() => readCheckpoint(f)).toThrow(/CheckpointError|is not a whole safetensors file/);
    expect(latestCheckpoint(dir).checkpoint).toBeNull();
  });

  it('is plain safetensors: Python reads the same tensors and metadata', () => {
    writeCheckpoint(dir, meta(9), tensors(9), 1);
    // the safetensors format read by hand with numpy (as byol_reference.read_safetensors, without importing torch)
    const py = `
import json, struct, sys, numpy as np
raw = open(sys.argv[1], 'rb').read()
n = struct.unpack('<Q', raw[:8])[0]
hdr = json.loads(raw[8:8 + n]); meta = hdr.pop('__metadata__'); data = raw[8 + n:]
dt = {'F32': np.float32, 'I64': np.int64}
t = {k: np.frombuffer(data[v['data_offsets'][0]:v['data_offsets'][1]], dtype=dt[v['dtype']]).reshape(v['shape']) for k, v in hdr.items()}
print(json.dumps({k: [list(v.shape), float(v.astype('float64').sum())] for k, v in t.items()} | {'__meta': meta}))`;
    const out = JSON.parse(execFileSync('/usr/bin/python3', ['-c', py, path.join(dir, checkpointName(9))]).toString());
    const t = tensors(9);
    const sum = (d: TensorData['data']) => Array.from(d as Float32Array, Number).reduce((a, v) => a + v, 0);
    expect(out['online.encoder.conv1.weight'][0]).toEqual([10, 100]);
    expect(out['online.encoder.conv1.weight'][1]).toBeCloseTo(sum(t['online.encoder.conv1.weight'].data), 3);
    expect(out['online.encoder.bn1.num_batches_tracked']).toEqual([[], 18]);
    expect(out.__meta).toMatchObject({ format: 'voxelbase-checkpoint', step: '9', loader_position: '9', seed: '5', run: '7' });
    expect(out.__meta.data_crc32).toMatch(/^[0-9a-f]{8}$/);
    expect(out.__meta.data_crc32).not.toBe('00000000');
  });
});
