// Trilinear resampling of a 3-D Float32 volume onto another grid: output voxel (i, j, k) takes the source
// value at source voxel coordinates M (i, j, k, 1), M = inv(source affine) * grid affine, interpolated
// linearly between the 8 neighbours, as scipy.ndimage.map_coordinates / affine_transform(order=1,
// mode='constant') do (what nibabel's resample_to_output calls): a point outside the source's voxel-centre
// box [0, n-1] on any axis gets `cval` (no interpolation towards cval). A point within 1e-6 voxel of the box
// counts as inside (scipy's strict test is at the mercy of rounding there).
import { matmul, type Affine } from '../imaging/index.js';
import { invertAffine, type Dims3, type Grid } from './output-grid.js';

const EDGE_EPS = 1e-6;

export function resampleTrilinear(src: Float32Array, srcDims: Dims3, srcAffine: Affine, grid: Grid, cval = NaN): Float32Array {
  return resampleWith(src, srcDims, matmul(invertAffine(srcAffine), grid.affine), grid.dims, cval);
}

/** Resampling by an explicit output-voxel -> source-voxel map `m` (row-major 4x4). */
export function resampleWith(src: ArrayLike<number>, srcDims: Dims3, m: Affine, outDims: Dims3, cval = NaN, out?: Float32Array): Float32Array {
  const [nx, ny, nz] = srcDims;
  const [ox, oy, oz] = outDims;
  const res = out ?? new Float32Array(ox * oy * oz);
  const sxy = nx * ny;
  const hx = nx - 1, hy = ny - 1, hz = nz - 1;
  let p = 0;
  for (let k = 0; k < oz; k++) {
    for (let j = 0; j < oy; j++) {
      const bx = m[0][1] * j + m[0][2] * k + m[0][3];
      const by = m[1][1] * j + m[1][2] * k + m[1][3];
      const bz = m[2][1] * j + m[2][2] * k + m[2][3];
      for (let i = 0; i < ox; i++, p++) {
        let x = m[0][0] * i + bx;
        let y = m[1][0] * i + by;
        let z = m[2][0] * i + bz;
        if (x < -EDGE_EPS || y < -EDGE_EPS || z < -EDGE_EPS || x > hx + EDGE_EPS || y > hy + EDGE_EPS || z > hz + EDGE_EPS) {
          res[p] = cval;
          continue;
        }
        x = x < 0 ? 0 : x > hx ? hx : x;
        y = y < 0 ? 0 : y > hy ? hy : y;
        z = z < 0 ? 0 : z > hz ? hz : z;
        let x0 = Math.floor(x), y0 = Math.floor(y), z0 = Math.floor(z);
        if (x0 === hx && hx > 0) x0--;
        if (y0 === hy && hy > 0) y0--;
        if (z0 === hz && hz > 0) z0--;
        const fx = x - x0, fy = y - y0, fz = z - z0;
        const dx = hx > 0 ? 1 : 0, dy = hy > 0 ? nx : 0, dz = hz > 0 ? sxy : 0;
        const q = z0 * sxy + y0 * nx + x0;
        const c00 = src[q] + fx * (src[q + dx] - src[q]);
        const c10 = src[q + dy] + fx * (src[q + dy + dx] - src[q + dy]);
        const c01 = src[q + dz] + fx * (src[q + dz + dx] - src[q + dz]);
        const c11 = src[q + dz + dy] + fx * (src[q + dz + dy + dx] - src[q + dz + dy]);
        const c0 = c00 + fy * (c10 - c00);
        const c1 = c01 + fy * (c11 - c01);
        res[p] = c0 + fz * (c1 - c0);
      }
    }
  }
  return res;
}
