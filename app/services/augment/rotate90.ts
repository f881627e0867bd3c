// A quarter-turn rotation of a box in one plane (numpy.rot90 on the two axes): `turns` counter-clockwise
// turns from the plane's first axis towards its second. The plane's two sides must be equal, so the box
// keeps its shape.
export type Plane = 'xy' | 'xz' | 'yz';

const AXES: Record<Plane, [number, number]> = { xy: [0, 1], xz: [0, 2], yz: [1, 2] };

/** Planes of `dims` [x, y, z] whose two sides are equal (where a rotation keeps the shape). */
export function rotatablePlanes(dims: [number, number, number]): Plane[] {
  return (Object.keys(AXES) as Plane[]).filter((p) => dims[AXES[p][0]] === dims[AXES[p][1]]);
}

export function rotate90(src: Float32Array<ArrayBufferLike>, dims: [number, number, number], plane: Plane, turns: number, out: Float32Array<ArrayBufferLike> = new Float32Array(src.length)): Float32Array<ArrayBufferLike> {
  const t = ((turns % 4) + 4) % 4;
  if (t === 0) {
    out.set(src);
    return out;
  }
  const [a, b] = AXES[plane];
  const n = dims[a];
  if (dims[b] !== n) throw new RangeError(`rotation in plane ${plane} needs equal sides, box is ${dims.join('x')}`);
  const strides = [1, dims[0], dims[0] * dims[1]];
  const idx = [0, 0, 0];
  let p = 0;
  for (idx[2] = 0; idx[2] < dims[2]; idx[2]++)
    for (idx[1] = 0; idx[1] < dims[1]; idx[1]++)
      for (idx[0] = 0; idx[0] < dims[0]; idx[0]++, p++) {
        // numpy.rot90(m, k, axes=(a, b)): k=1 out[u, v] = m[v, n-1-u]; k=2 m[n-1-u, n-1-v]; k=3 m[n-1-v, u]
        const u = idx[a];
        const v = idx[b];
        let su: number, sv: number;
        if (t === 1) [su, sv] = [v, n - 1 - u];
        else if (t === 2) [su, sv] = [n - 1 - u, n - 1 - v];
        else [su, sv] = [n - 1 - v, u];
        out[p] = src[p + (su - u) * strides[a] + (sv - v) * strides[b]];
      }
  return out;
}
