// How a whole volume becomes encoder inputs (and, averaged, one vector; volume-embedder.ts):
// the preprocessed volume (the foreground box at the run's spacing, RAS, x fastest) is covered by tiles of the
// input box [d, h, w] (w along x, h along y, d along z, as the loader's views) at its own resolution, no
// resampling: along each axis of n voxels and box size b,
//   n <= b: one tile, the volume centred in it and the rest padded with the volume's minimum (its background);
//           a volume smaller than the box is padded, never refused;
//   n >  b: t = min(MAX_TILES_PER_AXIS, ceil(n / b)) tiles at starts round(i (n - b) / (t - 1)), i = 0..t-1:
//           overlapping tiles spread evenly from one edge to the other (beyond 3 per axis they leave gaps,
//           bounding the cost of a large CT at 27 tiles).
// The tiles are the grid's product (z outermost). Scale matches training: the loader's crops cover 25-100% of
// the box volume resized to the input box, so native-resolution tiles lie in the range the encoder has seen.

export const MAX_TILES_PER_AXIS = 3;

/** Start offsets along one axis (negative: the volume is centred in a padded tile). */
export function tileStarts(n: number, b: number, maxTiles = MAX_TILES_PER_AXIS): number[] {
  if (n <= b) return [n === b ? 0 : -Math.floor((b - n) / 2)];
  const t = Math.min(maxTiles, Math.ceil(n / b));
  if (t === 1) return [Math.floor((n - b) / 2)];
  return Array.from({ length: t }, (_, i) => Math.round((i * (n - b)) / (t - 1)));
}

export interface TileGrid {
  /** [x, y, z] start of every tile, z outermost. */
  starts: [number, number, number][];
}

/** The tiles covering a volume of dims [x, y, z] with input box [d, h, w]. */
export function tileGrid(dims: [number, number, number], box: [number, number, number]): TileGrid {
  const [d, h, w] = box;
  const xs = tileStarts(dims[0], w);
  const ys = tileStarts(dims[1], h);
  const zs = tileStarts(dims[2], d);
  const starts: [number, number, number][] = [];
  for (const z of zs) for (const y of ys) for (const x of xs) starts.push([x, y, z]);
  return { starts };
}

/**
 * Writes one tile (real values = offset + scale * q) of a volume q (dims [x, y, z], x fastest) into `out`
 * ([d, h, w], w fastest), `pad` outside the volume.
 */
export function extractTile(
  q: Int16Array | Float32Array,
  dims: [number, number, number],
  scale: number,
  offset: number,
  start: [number, number, number],
  box: [number, number, number],
  pad: number,
  out: Float32Array,
): void {
  const [nx, ny, nz] = dims;
  const [d, h, w] = box;
  const [x0, y0, z0] = start;
  let p = 0;
  for (let k = 0; k < d; k++) {
    const z = z0 + k;
    for (let j = 0; j < h; j++) {
      const y = y0 + j;
      if (z < 0 || z >= nz || y < 0 || y >= ny) {
        out.fill(pad, p, p + w);
        p += w;
        continue;
      }
      const row = (z * ny + y) * nx;
      for (let i = 0; i < w; i++, p++) {
        const x = x0 + i;
        out[p] = x < 0 || x >= nx ? pad : offset + scale * q[row + x];
      }
    }
  }
}

/** The smallest real value of a volume (the padding value). */
export function volumeMinimum(q: Int16Array | Float32Array, scale: number, offset: number): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < q.length; i++) {
    if (q[i] < lo) lo = q[i];
    if (q[i] > hi) hi = q[i];
  }
  if (lo === Infinity) return offset;
  return Math.min(offset + scale * lo, offset + scale * hi);
}
