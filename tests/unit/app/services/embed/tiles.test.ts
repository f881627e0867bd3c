// How a volume is covered by input-box tiles: starts per axis (centred padding below the box, evenly spread
// overlapping tiles above it, at most 3 per axis), and tile extraction (axis order, real values, padding).
import { describe, expect, it } from 'vitest';
import { extractTile, tileGrid, tileStarts } from '../../../../../app/services/embed/index.js';

describe('tiles', () => {
  it('centres a volume smaller than the box and spreads tiles over a larger one', () => {
    expect(tileStarts(4, 32)).toEqual([-14]);
    expect(tileStarts(32, 32)).toEqual([0]);
    expect(tileStarts(40, 32)).toEqual([0, 8]);
    expect(tileStarts(91, 32)).toEqual([0, 30, 59]);
    expect(tileStarts(500, 32)).toEqual([0, 234, 468]); // capped at 3 per axis
    const g = tileGrid([40, 10, 91], [32, 16, 32]); // dims [x, y, z], box [d, h, w]
    expect(g.starts).toHaveLength(2 * 1 * 3);
    expect(g.starts[0]).toEqual([0, -3, 0]);
    expect(g.starts[1]).toEqual([8, -3, 0]);
    expect(g.starts[5]).toEqual([8, -3, 59]);
  });

  it('extracts a tile as [d, h, w] real values, padding outside the volume', () => {
    const dims: [number, number, number] = [3, 2, 2]; // x, y, z
    const q = Int16Array.from({ length: 12 }, (_, i) => i);
    const out = new Float32Array(2 * 3 * 4);
    extractTile(q, dims, 2, 100, [-1, 0, 1], [2, 3, 4], -7, out);
    const at = (k: number, j: number, i: number) => out[(k * 3 + j) * 4 + i];
    // tile (k, j, i) = volume (x = i - 1, y = j, z = k + 1)
    expect(at(0, 0, 0)).toBe(-7);
    expect(at(0, 0, 1)).toBe(100 + 2 * (6 + 0)); // x 0, y 0, z 1 -> index 6
    expect(at(0, 1, 3)).toBe(100 + 2 * (6 + 3 + 2)); // x 2, y 1, z 1
    expect(at(0, 2, 1)).toBe(-7); // y 2 is outside
    expect(at(1, 0, 1)).toBe(-7); // z 2 is outside
  });
});
