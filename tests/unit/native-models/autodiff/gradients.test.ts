// Autodiff on a small composite 3-D conv net (conv+relu -> maxpool -> strided conv+relu -> global average pool
// -> gemm -> mean squared error): gradients of every parameter and of the input against central finite
// differences, and against PyTorch (Debian's /usr/bin/python3 with python3-torch, float64) for each
// conv-gradient formulation, and in float64 (lowered convs) to float64 rounding.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { gradients } from '../../../../native-models/autodiff/gradients.js';
import { gradCheck, makeRandom } from '../../../../native-models/autodiff/grad-check.js';
import type { GraphBuilder } from '../../../../native-models/ops/builder.js';
import { GraphBuilder as Builder } from '../../../../native-models/ops/builder.js';
import type { Value } from '../../../../native-models/ir/graph.js';
import { type TensorData, tensor } from '../../../../native-models/ir/tensor.js';
import type { GradOptions } from '../../../../native-models/ops/op-def.js';
import { GraphSession } from '../../../../native-models/runtime/session.js';

const SHAPES: Record<string, number[]> = {
  x: [2, 1, 8, 8, 8],
  w1: [4, 1, 3, 3, 3],
  b1: [4],
  w2: [6, 4, 3, 3, 3],
  fc: [3, 6],
  fcb: [3],
  target: [2, 3],
};
const PARAMS = ['x', 'w1', 'b1', 'w2', 'fc', 'fcb'];
const SCALE: Record<string, number> = { x: 1, w1: 0.5, b1: 0.1, w2: 0.2, fc: 0.5, fcb: 0.1, target: 1 };

/** The net; `smooth` swaps relu/maxpool for tanh/sigmoid/average pool so finite differences see no kinks. */
function net(g: GraphBuilder, v: Record<string, Value>, smooth = false): Value {
  const act1 = (h: Value) => (smooth ? g.op.tanh(h) : g.op.relu(h));
  const act2 = (h: Value) => (smooth ? g.op.sigmoid(h) : g.op.relu(h));
  let h = g.scope('conv1', () => act1(g.op.conv(v.x, v.w1, v.b1, { pads: [1, 1, 1, 1, 1, 1] })));
  const pool = { kernel_shape: [2, 2, 2], strides: [2, 2, 2] };
  h = smooth ? g.op.averagePool(h, pool) : g.op.maxPool(h, pool);
  h = g.scope('conv2', () => act2(g.op.conv(h, v.w2, undefined, { strides: [2, 2, 2], pads: [1, 1, 1, 1, 1, 1] })));
  h = g.op.flatten(g.op.globalAveragePool(h), 1);
  const y = g.scope('fc', () => g.op.gemm(h, v.fc, v.fcb, { transB: 1 }));
  const e = g.op.sub(y, v.target);
  return g.op.div(g.op.reduceSumSquare(e, undefined, { keepdims: 0 }), 6);
}

function data(seed: number): Record<string, TensorData> {
  const r = makeRandom(seed);
  return Object.fromEntries(
    Object.entries(SHAPES).map(([k, s]) => [k, tensor('float32', s, Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => r.normal() * SCALE[k]))]),
  );
}

async function runOurs(feeds: Record<string, TensorData>, options: GradOptions, dtype: 'float32' | 'float64' = 'float32') {
  const g = new Builder('tiny-net');
  const v = Object.fromEntries(Object.entries(SHAPES).map(([k, s]) => [k, g.input(k, dtype, s)]));
  const loss = net(g, v);
  const grads = gradients(g, loss, PARAMS.map((k) => v[k]), options);
  g.output(loss, 'loss');
  grads.forEach((d, i) => g.output(d, `d_${PARAMS[i]}`));
  const s = await GraphSession.create(g.build());
  const res = await s.run(feeds);
  await s.release();
  return res;
}

const relErr = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / den);
};

const PY = '/usr/bin/python3';
const here = dirname(fileURLToPath(import.meta.url));

describe('autodiff on a small 3-D conv net', () => {
  it('matches central finite differences for the input and every parameter (smooth variant)', async () => {
    // float32 (ORT's Conv is float32-only on CPU). With relu/maxpool, a random-direction step crosses kinks
    // (argmax swaps, sign changes) and the difference quotient is off by percents, so this check uses the smooth
    // variant (the PyTorch test below covers relu/maxpool). eps 1e-3: truncation ~eps^2 ~1e-6, float32 rounding of
    // an O(1) loss ~1e-7/eps ~1e-4 of the loss, which is up to ~0.5% of a small directional derivative (measured
    // over seeds 7-11: worst 0.43%), hence rtol 1e-2; a wrong rule is off by O(1).
    const res = await gradCheck({
      dtype: 'float32',
      eps: 1e-3,
      rtol: 1e-2,
      atol: 1e-5,
      seed: 7,
      // uniform inputs with the parameter scales of `data()` so activations stay O(1) and float32 noise small
      inputs: Object.entries(SHAPES).map(([name, shape]) => ({
        name,
        shape,
        diff: name !== 'target',
        sample: (u: () => number) => (2 * u() - 1) * SCALE[name] * 1.7,
      })),
      build: (g, ins) => net(g, Object.fromEntries(Object.keys(SHAPES).map((k, i) => [k, ins[i]])), true),
    });
    expect(res.map((r) => r.input)).toEqual(PARAMS);
    for (const r of res) expect(r.error, `${r.input}: ${r.analytic} vs ${r.numeric}`).toBeLessThanOrEqual(r.tolerance);
  });

  const formulations: GradOptions[] = [
    {},
    { conv: { input: 'conv-flipped', weight: 'im2col-conv' } },
    { conv: { input: 'conv-transpose', weight: 'conv-nc' } },
    { conv: { input: 'conv-flipped', weight: 'im2col-gemm' } },
  ];
  // The oracle is required (CI installs Debian's python3-torch): a missing /usr/bin/python3 or torch fails here.
  it('matches PyTorch float64 for every conv-gradient formulation', async () => {
    const feeds = data(11);
    const payload = Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, { shape: t.dims, data: Array.from(t.data as Float32Array) }]));
    const py = spawnSync(PY, [join(here, 'torch_conv_net.py')], { input: JSON.stringify(payload), encoding: 'utf8', timeout: 60_000 });
    expect(py.error, `${PY} (Debian python3 with python3-torch) must exist`).toBeUndefined();
    expect(py.status, py.stderr).toBe(0);
    const ref = JSON.parse(py.stdout) as Record<string, number | number[]>;
    for (const options of formulations) {
      const ours = await runOurs(feeds, options);
      const tag = JSON.stringify(options);
      expect(Math.abs(Number(ours.loss.data[0]) - (ref.loss as number)) / (ref.loss as number), tag).toBeLessThan(1e-5);
      for (const k of PARAMS) {
        // float32 kernels vs float64 reference: accumulated rounding ~1e-6 relative; 1e-4 is the parity bar
        expect(relErr(ours[`d_${k}`].data as Float32Array, ref[k] as number[]), `${tag} d_${k}`).toBeLessThan(1e-4);
      }
    }
    // float64 (convs and pools lowered to im2col + MatMul): agreement to float64 rounding
    const f64 = Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, tensor('float64', t.dims, t.data as Float32Array)]));
    const ours64 = await runOurs(f64, {}, 'float64');
    expect(Math.abs(Number(ours64.loss.data[0]) - (ref.loss as number)) / (ref.loss as number)).toBeLessThan(1e-12);
    for (const k of PARAMS) expect(relErr(ours64[`d_${k}`].data as Float64Array, ref[k] as number[]), `float64 d_${k}`).toBeLessThan(1e-10);
  });
});
