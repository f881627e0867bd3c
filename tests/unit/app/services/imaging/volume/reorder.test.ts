import { describe, expect, it } from 'vitest';
import { reorderVoxels } from '../../../../../../app/services/imaging/volume/reorder.js';

describe('reorderVoxels', () => {
  // natural 2 x 3 x 2, value = x + 10 y + 100 z
  const nat = Int16Array.from({ length: 12 }, (_, i) => (i % 2) + 10 * (Math.floor(i / 2) % 3) + 100 * Math.floor(i / 6));

  it('flipY reverses rows within each slice', () => {
    const out = reorderVoxels(nat, [2, 3, 2], 1, 1, { permute: [0, 1, 2], flip: [false, true, false] });
    expect(Array.from(out.subarray(0, 6))).toEqual([20, 21, 10, 11, 0, 1]);
  });

  it('permutes axes (z, x, y) with a flip, volume by volume and with components', () => {
    const out = reorderVoxels(nat, [2, 3, 2], 1, 1, { permute: [2, 0, 1], flip: [true, false, false] });
    // Output dims [2 (z), 2 (x), 3 (y)]; output (0,0,0) = natural z=1,x=0,y=0.
    expect(out[0]).toBe(100);
    expect(out[1]).toBe(0);
    expect(out[2]).toBe(101);
    const rgb = Uint8Array.from({ length: 12 * 3 }, (_, i) => nat[Math.floor(i / 3)] % 256);
    const o3 = reorderVoxels(rgb, [2, 3, 2], 1, 3, { permute: [0, 1, 2], flip: [true, false, false] });
    expect(Array.from(o3.subarray(0, 6))).toEqual([1, 1, 1, 0, 0, 0]);
    const two = Int16Array.from([...nat, ...nat.map((v) => v + 1000)]);
    const o4 = reorderVoxels(two, [2, 3, 2], 2, 1, { permute: [0, 1, 2], flip: [false, false, true] });
    expect([o4[0], o4[12]]).toEqual([100, 1100]);
  });
});
