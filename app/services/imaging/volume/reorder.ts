// Re-lays a natural-layout voxel array (column fastest, then row, slice, volume) into the output layout
// of a VoxelLayout (axis permutation and flips; see assembly/affine.ts), volume by volume.
import type { VoxelArray, VoxelLayout } from '../types.js';

/** `into` (same kind and length as src) receives the result when given; src itself is returned when the
 * layout is the identity. */
export function reorderVoxels<T extends VoxelArray>(
  src: T,
  naturalDims: [number, number, number],
  volumes: number,
  components: number,
  layout: VoxelLayout,
  into?: T,
): T {
  const { permute, flip } = layout;
  if (permute[0] === 0 && permute[1] === 1 && permute[2] === 2 && !flip[0] && !flip[1] && !flip[2]) return src;
  const out = into ?? new (src.constructor as new (n: number) => T)(src.length);
  if (out.length !== src.length || out === src) throw new RangeError('reorderVoxels: `into` must be a distinct array of the same length');
  const nd = naturalDims;
  const od: [number, number, number] = [nd[permute[0]], nd[permute[1]], nd[permute[2]]];
  const naturalStride = [components, components * nd[0], components * nd[0] * nd[1]];
  // Step in the natural array for +1 along each output axis, and the natural offset of output (0,0,0).
  const step = [0, 1, 2].map((i) => (flip[i] ? -1 : 1) * naturalStride[permute[i]]);
  let base0 = 0;
  for (let i = 0; i < 3; i++) if (flip[i]) base0 += (od[i] - 1) * naturalStride[permute[i]];
  const volSize = nd[0] * nd[1] * nd[2] * components;
  let o = 0;
  // Common case (dcm2niix's flipY): output rows are whole natural rows, copied in one go.
  const rowCopy = permute[0] === 0 && !flip[0];
  const rowLength = od[0] * components;
  for (let t = 0; t < volumes; t++) {
    if (rowCopy) {
      const vbase = t * volSize + base0;
      for (let z = 0; z < od[2]; z++) {
        const zb = vbase + z * step[2];
        for (let y = 0; y < od[1]; y++) {
          const p = zb + y * step[1];
          out.set(src.subarray(p, p + rowLength) as never, o);
          o += rowLength;
        }
      }
      continue;
    }
    const vbase = t * volSize + base0;
    for (let z = 0; z < od[2]; z++) {
      const zb = vbase + z * step[2];
      for (let y = 0; y < od[1]; y++) {
        let p = zb + y * step[1];
        for (let x = 0; x < od[0]; x++) {
          for (let c = 0; c < components; c++) out[o++] = src[p + c];
          p += step[0];
        }
      }
    }
  }
  return out;
}
