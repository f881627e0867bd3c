// The im2col of single-channel volumes, the columns of the Gemm-based convolutions (ops/conv-batched-gemm.ts, the
// im2col weight gradient of ops/conv-grad.ts): x [M, 1, ...xs] -> cols [M, K, Zo], K = prod(k) kernel taps, Zo the
// output voxels, cols[m, t, z] = x[m, 0, z * s + t * d - pb] per axis (zero outside x). Two ways to make it:
// - one Conv with one-hot kernels [K, 1, ...k]: ORT runs an im2col and a small GEMM per image;
// - for small volumes (at most SMALL_VOLUME voxels: ResNet layer3/4 at a 64^3 input), x [M, Zi] @ S [Zi, K * Zo] with
//   S the 0/1 selection matrix of the im2col, a constant made once per graph. ORT's Conv pays a per-image cost that
//   dominates there: 9.6 ms for 8192 images of 2^3 (the ResNet-18 step's layer4 weight gradient), where the Gemm
//   takes well under 1 ms. Exact for finite x: each column entry is one x times 1 plus zeros.
import type { GraphBuilder } from './builder.js';
import { rawConv } from './conv-raw.js';
import { type Resolved, convOut } from './conv-attrs.js';
import { GraphError } from '../ir/errors.js';
import type { Value } from '../ir/graph.js';
import { tensor } from '../ir/tensor.js';

/** Largest input volume (voxels) whose im2col is a selection-matrix Gemm. */
export const SMALL_VOLUME = 64;

/** cols [M, K, Zo] of x [M, 1, ...xs] (static spatial shape) for the conv attributes `a`. */
export function im2col(g: GraphBuilder, x: Value, a: Resolved): Value {
  const xs = x.shape.slice(2);
  if (x.rank < 3 || x.shape[1] !== 1 || !xs.every((v): v is number => typeof v === 'number'))
    throw new GraphError(`im2col needs [M, 1, ...static spatial], got ${x}`, 'im2col');
  const sp = xs as number[];
  const ys = sp.map((v, i) => convOut(v, i, a) as number);
  const kvol = a.k.reduce((p, q) => p * q, 1);
  const zi = sp.reduce((p, q) => p * q, 1);
  const zo = ys.reduce((p, q) => p * q, 1);
  if (zi > SMALL_VOLUME) {
    const oneHot = g.sharedConstant(`one-hot|${x.dtype}|${a.k}`, () => {
      const eye = tensor(x.dtype, [kvol, 1, ...a.k]);
      for (let i = 0; i < kvol; i++) (eye.data as Float32Array | Float64Array)[i * kvol + i] = 1;
      return eye;
    });
    const cols = rawConv(g, x, oneHot, undefined, {
      strides: a.s,
      dilations: a.d,
      pads: [...a.pb, ...a.pe],
    });
    return g.op.reshape(cols, [-1, kvol, zo]);
  }
  return g.op.reshape(g.op.gemm(g.op.reshape(x, [-1, zi]), im2colSelection(g, x.dtype, sp, a)), [-1, kvol, zo]);
}

/** The im2col's selection matrix S [Zi, K * Zo] for input volume `xs` (below), one constant per graph and geometry:
 *  also the col2im of the input gradient (ops/conv-col2im.ts), dx = S (dy^T w). */
export function im2colSelection(g: GraphBuilder, dtype: Value['dtype'], xs: number[], a: Resolved): Value {
  const ys = xs.map((v, i) => convOut(v, i, a) as number);
  const key = `im2col-select|${dtype}|${xs}|${a.k}|${a.s}|${a.d}|${a.pb}|${a.pe}`;
  return g.sharedConstant(key, () => selectionMatrix(dtype, xs, ys, a));
}

/** S [Zi, K * Zo]: S[zi, t * Zo + z] = 1 where input voxel zi is tap t's input of output voxel z. */
function selectionMatrix(dtype: Value['dtype'], xs: number[], ys: number[], a: Resolved): ReturnType<typeof tensor> {
  const r = xs.length;
  const kvol = a.k.reduce((p, q) => p * q, 1);
  const zi = xs.reduce((p, q) => p * q, 1);
  const zo = ys.reduce((p, q) => p * q, 1);
  const s = tensor(dtype, [zi, kvol * zo]);
  const data = s.data as Float32Array | Float64Array;
  const tap = new Array<number>(r), out = new Array<number>(r);
  for (let t = 0; t < kvol; t++) {
    for (let i = r - 1, rem = t; i >= 0; i--) {
      tap[i] = rem % a.k[i];
      rem = Math.floor(rem / a.k[i]);
    }
    for (let z = 0; z < zo; z++) {
      for (let i = r - 1, rem = z; i >= 0; i--) {
        out[i] = rem % ys[i];
        rem = Math.floor(rem / ys[i]);
      }
      let src = 0;
      let inside = true;
      for (let i = 0; i < r; i++) {
        const p = out[i] * a.s[i] + tap[i] * a.d[i] - a.pb[i];
        if (p < 0 || p >= xs[i]) inside = false;
        src = src * xs[i] + p;
      }
      if (inside) data[src * kvol * zo + t * zo + z] = 1;
    }
  }
  return s;
}
