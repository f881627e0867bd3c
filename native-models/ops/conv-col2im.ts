// A convolution's input gradient on small volumes as one Gemm and a col2im, with no re-layout of the weight:
//   G[(c, t), (z, n)] = sum_o w[o, c, t] dy[n, o, z]       one Gemm, w [O, C*K] read transposed (transA)
//   dx[n, c, zi]      = sum_(t, z) S[zi, (t, z)] G[c, (t, z), n]   a MatMul with the im2col selection matrix S
// (ops/im2col.ts: S[zi, t*Zo + z] = 1 where input voxel zi is tap t's input of output voxel z, so any stride,
// dilation and padding). The flipped-weight forms ('flipped-gemm', ops/conv-grad.ts) contract over (o, t), which
// are not adjacent in w [O, C, K]: each step they flip and transpose the whole weight (layer4 of ResNet-18, 512 x
// 512 x 3^3: a Gemm with the exchange matrix and a Transpose, 12-24 ms of a 25 ms input gradient on AMD EPYC Zen
// 2); this contracts over o alone, and only dy (N*O*Zo floats) and dx move: 34.6 -> 13.4 ms there, and 26.7 -> 6.6
// ms against sub-pixel for layer4's strided conv (16 x 256 x 4^3). The selection MatMul costs 2*Zi*K*Zo*N*C flops,
// small where the volume is (the planner offers it up to COL2IM_MAX_ZI input voxels, ops/conv-plan.ts); exact for
// finite values (each dx entry sums G entries times 1).
import type { GraphBuilder } from './builder.js';
import { GraphError } from '../ir/errors.js';
import type { Value } from '../ir/graph.js';
import { type Resolved, convOut } from './conv-attrs.js';
import { im2colSelection } from './im2col.js';

/** dx [N, C, ...xs] of y = conv(x, w) (group 1) from dy [N, O, ...ys] and w [O, C, ...k]. */
export function col2imInputGrad(g: GraphBuilder, dy: Value, w: Value, xs: number[], a: Resolved): Value {
  const [n, o, ...ys] = dy.shape;
  const [, c, ...k] = w.shape;
  if (![n, o, c, ...ys, ...k].every((d) => typeof d === 'number') || a.group !== 1)
    throw new GraphError(`col2im input gradient needs static shapes and group 1: dy ${dy}, w ${w}`, 'Conv', 'col2im');
  const zo = (ys as number[]).reduce((p, q) => p * q, 1);
  if (zo !== xs.map((d, i) => convOut(d, i, a) as number).reduce((p, q) => p * q, 1))
    throw new GraphError(`dy ${dy} does not match the conv of a [${xs}] volume`, 'Conv', 'col2im');
  const kvol = (k as number[]).reduce((p, q) => p * q, 1);
  const [nn, oo, cc] = [n, o, c] as number[];
  const dyF = g.op.reshape(g.op.transpose(g.op.reshape(dy, [nn, oo, zo]), [1, 2, 0]), [oo, zo * nn]); // [O, (z, n)]
  const cols = g.op.gemm(g.op.reshape(w, [oo, cc * kvol]), dyF, undefined, { transA: 1 }); // [(c, t), (z, n)]
  const dxT = g.op.matMul(im2colSelection(g, dy.dtype, xs, a), g.op.reshape(cols, [cc, kvol * zo, nn])); // [C, Zi, N]
  return g.op.reshape(g.op.transpose(dxT, [2, 0, 1]), [nn, cc, ...xs]);
}
