import { describe, expect, it } from 'vitest';
import { allocVoxels, VoxelArena } from '../../../../../../app/services/imaging/volume/voxel-arena.js';

describe('VoxelArena', () => {
  it('never hands out a buffer twice between resets, and reuses them after reset', () => {
    const a = new VoxelArena();
    const x = a.take(1000);
    const y = a.take(1000);
    expect(x).not.toBe(y);
    a.reset();
    const x2 = a.take(800);
    const y2 = a.take(1000);
    expect(new Set([x2, y2])).toEqual(new Set([x, y]));
    expect(a.retained()).toBe(2000);
  });

  it('picks the smallest free buffer that fits and replaces a too-small one by a bigger one', () => {
    const a = new VoxelArena();
    const small = a.take(100);
    const big = a.take(5000);
    a.reset();
    expect(a.take(50)).toBe(small);
    a.reset();
    const grown = a.take(200); // small is too small, big is free: big fits
    expect(grown).toBe(big);
    const more = a.take(300); // only small is free and it is too small: replaced
    expect(more.byteLength).toBe(300);
    expect(a.retained()).toBe(5300);
  });

  it('keeps no more than its budget; beyond it, buffers are plain allocations', () => {
    const a = new VoxelArena(1000);
    const kept = a.take(600);
    const extra = a.take(600);
    expect(a.retained()).toBe(600);
    a.reset();
    expect(a.take(600)).toBe(kept);
    expect(a.take(600)).not.toBe(extra);
    a.release();
    expect(a.retained()).toBe(0);
  });

  it('allocVoxels views a typed array of the asked length on an arena buffer', () => {
    const a = new VoxelArena();
    const v = allocVoxels(Int16Array, 10, a);
    expect(v.length).toBe(10);
    expect(v.byteOffset).toBe(0);
    expect(allocVoxels(Float32Array, 3).length).toBe(3);
  });
});
