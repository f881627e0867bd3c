// ops/im2col.ts: both ways of making the columns (the one-hot Conv for larger volumes, the selection-matrix Gemm
// for volumes of at most SMALL_VOLUME voxels) against the definition cols[m, t, z] = x[m, 0, z*s + t*d - pb] (zero
// outside), computed here in plain loops, for 3-D and 2-D kernels, strides, dilation, asymmetric pads and a
// symbolic M; and both give the same columns where the volume is at the threshold.
import { describe, expect, it } from 'vitest';
import { tensor, type TensorData } from '../../../../native-models/ir/tensor.js';
import { GraphBuilder } from '../../../../native-models/ops/builder.js';
import { resolve, type Resolved } from '../../../../native-models/ops/conv-attrs.js';
import { SMALL_VOLUME, im2col } from '../../../../native-models/ops/im2col.js';
import { GraphSession } from '../../../../native-models/runtime/session.js';

function attrs(k: number[], s?: number[], d?: number[], pads?: number[]): Resolved {
  const given: Record<string, unknown> = { kernel_shape: k, strides: s, dilations: d, pads };
  return resolve((n, dflt) => (given[n] as typeof dflt | undefined) ?? dflt, k, 'Conv', 'test');
}

function reference(x: Float32Array, m: number, xs: number[], a: Resolved): { cols: Float32Array; zo: number } {
  const r = xs.length;
  const ys = xs.map((v, i) => Math.floor((v + a.pb[i] + a.pe[i] - ((a.k[i] - 1) * a.d[i] + 1)) / a.s[i]) + 1);
  const kvol = a.k.reduce((p, q) => p * q, 1), zo = ys.reduce((p, q) => p * q, 1), zi = xs.reduce((p, q) => p * q, 1);
  const cols = new Float32Array(m * kvol * zo);
  const unravel = (v: number, dims: number[]) => {
    const out: number[] = [];
    for (let i = dims.length - 1; i >= 0; i--) {
      out[i] = v % dims[i];
      v = Math.floor(v / dims[i]);
    }
    return out;
  };
  for (let mm = 0; mm < m; mm++)
    for (let t = 0; t < kvol; t++)
      for (let z = 0; z < zo; z++) {
        const tp = unravel(t, a.k), op = unravel(z, ys);
        let src = 0, inside = true;
        for (let i = 0; i < r; i++) {
          const p = op[i] * a.s[i] + tp[i] * a.d[i] - a.pb[i];
          if (p < 0 || p >= xs[i]) inside = false;
          src = src * xs[i] + p;
        }
        cols[(mm * kvol + t) * zo + z] = inside ? x[mm * zi + src] : 0;
      }
  return { cols, zo };
}

async function run(m: number, xs: number[], a: Resolved, symbolic: boolean): Promise<TensorData> {
  const g = new GraphBuilder('im2col');
  const x = g.input('x', 'float32', [symbolic ? 'm' : m, 1, ...xs]);
  g.output(im2col(g, x, a), 'cols');
  const s = await GraphSession.create(g.build(), { intraOpNumThreads: 1 });
  const n = m * xs.reduce((p, q) => p * q, 1);
  const out = await s.run({ x: tensor('float32', [m, 1, ...xs], Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.7) * 3 + 0.1)) });
  await s.release();
  return out.cols;
}

const CASES: [string, number[], Resolved][] = [
  ['2^3, 3^3 pad 1 (selection)', [2, 2, 2], attrs([3, 3, 3], undefined, undefined, [1, 1, 1, 1, 1, 1])],
  ['4^3, 3^3 stride 2 pad 1 (selection)', [4, 4, 4], attrs([3, 3, 3], [2, 2, 2], undefined, [1, 1, 1, 1, 1, 1])],
  ['3x4x5, 2x3x1 asymmetric pads (selection)', [3, 4, 5], attrs([2, 3, 1], undefined, undefined, [1, 0, 0, 0, 2, 0])],
  ['4x4, 3x3 dilation 2 pad 2 (selection, 2-D)', [4, 4], attrs([3, 3], undefined, [2, 2], [2, 2, 2, 2])],
  ['5^3, 3^3 pad 1 (one-hot conv)', [5, 5, 5], attrs([3, 3, 3], undefined, undefined, [1, 1, 1, 1, 1, 1])],
  ['6x5x4, 3^3 stride 2 pad 1 (one-hot conv)', [6, 5, 4], attrs([3, 3, 3], [2, 2, 2], undefined, [1, 1, 1, 1, 1, 1])],
];

describe('im2col', () => {
  it.each(CASES)('%s equals the definition', async (_name, xs, a) => {
    expect(xs.reduce((p, q) => p * q, 1) <= SMALL_VOLUME).toBe(_name.includes('selection'));
    for (const symbolic of [false, true]) {
      const m = 5;
      const got = await run(m, xs, a, symbolic);
      const n = m * xs.reduce((p, q) => p * q, 1);
      const x = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.7) * 3 + 0.1);
      const { cols, zo } = reference(x, m, xs, a);
      expect(got.dims).toEqual([m, a.k.reduce((p, q) => p * q, 1), zo]);
      expect(Array.from(got.data as Float32Array)).toEqual(Array.from(cols));
    }
  });
});
