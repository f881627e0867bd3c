// Gradient checking through onnxruntime: a random-direction vector-Jacobian test with central finite
// differences. For each differentiable input x_i, a random cotangent r weights the outputs
// (L = sum_j <cast64(y_j), r_j>, accumulated in float64 so that the loss adds no float32 rounding), autodiff
// gives g_i = dL/dx_i, and for a random direction v the check compares
//     <g_i, x_i+ - x_i-> / (2 eps)   with   (L(x_i+) - L(x_i-)) / (2 eps),   x_i+- = round(x_i +- eps v)
// using the actually rounded perturbed inputs, so float32 rounding of x+-eps v does not enter the error.
// (Method: Griewank & Walther, "Evaluating Derivatives", ch. 3; the same test as jax.test_util.check_vjp.)
import type { GraphBuilder } from '../ops/builder.js';
import { GraphBuilder as Builder } from '../ops/builder.js';
import { type DType, typedArrayFor } from '../ir/dtype.js';
import type { Value } from '../ir/graph.js';
import { type TensorData, tensor } from '../ir/tensor.js';
import { GraphSession } from '../runtime/session.js';
import { type GradientsOptions, gradients } from './gradients.js';

export interface CheckInput {
  name: string;
  dtype?: DType;
  shape: number[];
  /** Fixed data (e.g. integer indices); otherwise random normal (or `sample`). */
  data?: TensorData;
  /** Draw each value: default standard normal. */
  sample?: (rand: () => number, i: number) => number;
  /** Differentiate w.r.t. this input (default: float inputs without fixed data). */
  diff?: boolean;
}

export interface GradCheckSpec {
  inputs: CheckInput[];
  /** Build the function; return its (float) outputs. */
  build: (g: GraphBuilder, inputs: Value[]) => Value | Value[];
  /** Float dtype for inputs without an explicit one (default float64). */
  dtype?: DType;
  /** Finite-difference step (default 1e-6 for float64, 1e-3 for float32). */
  eps?: number;
  /** Relative tolerance on the directional derivative (default 1e-6 float64, 2e-3 float32). */
  rtol?: number;
  /** Absolute floor, relative to the size of the terms (default 1e-9 float64, 1e-5 float32). */
  atol?: number;
  seed?: number;
  /** Options of the autodiff pass (conv-gradient formulations, `unconnected`, stop-gradients). */
  options?: Omit<GradientsOptions, 'seed' | 'scope'>;
}

export interface GradCheckResult {
  input: string;
  analytic: number;
  numeric: number;
  error: number;
  tolerance: number;
  ok: boolean;
}

/** Deterministic PRNG (mulberry32) with Box-Muller normals. */
export function makeRandom(seed: number): { uniform: () => number; normal: () => number } {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal };
}

function fill(dtype: DType, shape: number[], f: (i: number) => number): TensorData {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = typedArrayFor(dtype, n) as Float64Array;
  for (let i = 0; i < n; i++) data[i] = f(i);
  return { dtype, dims: shape, data };
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export async function gradCheck(spec: GradCheckSpec): Promise<GradCheckResult[]> {
  const dtype = spec.dtype ?? 'float64';
  const f64 = dtype === 'float64';
  const eps = spec.eps ?? (f64 ? 1e-6 : 1e-3);
  const rtol = spec.rtol ?? (f64 ? 1e-6 : 2e-3);
  const atol = spec.atol ?? (f64 ? 1e-9 : 1e-5);
  const rnd = makeRandom(spec.seed ?? 1234);

  const g = new Builder('gradcheck');
  const ins = spec.inputs.map((c) => g.input(c.name, c.data?.dtype ?? c.dtype ?? dtype, c.shape));
  const built = spec.build(g, ins);
  const outs = Array.isArray(built) ? built : [built];
  let loss: Value | undefined;
  const cotangents: { name: string; data: TensorData }[] = [];
  outs.forEach((y, j) => {
    const shape = y.shape.map((d) => {
      if (typeof d !== 'number') throw new Error(`output ${y} needs a static shape`);
      return d;
    });
    const r = g.input(`cotangent${j}`, 'float64', shape);
    cotangents.push({ name: r.name, data: fill('float64', shape, () => rnd.normal()) });
    const y64 = y.dtype === 'float64' ? y : g.op.cast(y, 'float64');
    const term = g.op.reduceSum(g.op.mul(y64, r), undefined, { keepdims: 0 });
    loss = loss ? g.op.add(loss, term) : term;
  });
  const diffIdx = spec.inputs.map((c, i) => (c.diff ?? (!c.data && (ins[i].dtype === 'float32' || ins[i].dtype === 'float64'))) ? i : -1).filter((i) => i >= 0);
  const grads = gradients(g, loss!, diffIdx.map((i) => ins[i]), spec.options ?? {});
  g.output(loss!, 'loss');
  grads.forEach((d, k) => g.output(d, `grad.${spec.inputs[diffIdx[k]].name}`));
  const session = await GraphSession.create(g.build(), { intraOpNumThreads: 1 });

  const feeds: Record<string, TensorData> = {};
  spec.inputs.forEach((c, i) => {
    feeds[c.name] = c.data ?? fill(ins[i].dtype, c.shape, (k) => (c.sample ? c.sample(rnd.uniform, k) : rnd.normal()));
  });
  for (const c of cotangents) feeds[c.name] = c.data;
  const base = await session.run(feeds);
  const lossOnly = async (f: Record<string, TensorData>) => Number((await session.run(f, ['loss'])).loss.data[0]);

  const results: GradCheckResult[] = [];
  for (const i of diffIdx) {
    const c = spec.inputs[i];
    const x = feeds[c.name];
    const xs = x.data as Float64Array;
    const v = fill('float64', c.shape, () => rnd.normal()).data as Float64Array;
    const plus = tensor(x.dtype, x.dims, Array.from(xs, (a, k) => a + eps * v[k]));
    const minus = tensor(x.dtype, x.dims, Array.from(xs, (a, k) => a - eps * v[k]));
    const delta = Array.from(plus.data as Float64Array, (p, k) => (p - (minus.data as Float64Array)[k]) / (2 * eps));
    const gi = base[`grad.${c.name}`].data as Float64Array;
    const analytic = dot(gi, delta);
    const numeric = ((await lossOnly({ ...feeds, [c.name]: plus })) - (await lossOnly({ ...feeds, [c.name]: minus }))) / (2 * eps);
    // scale: size of the terms of the directional derivative (so cancellation does not make the test vacuous)
    let scale = 0;
    for (let k = 0; k < gi.length; k++) scale += Math.abs(gi[k] * delta[k]);
    const error = Math.abs(analytic - numeric);
    const tolerance = rtol * Math.max(Math.abs(analytic), Math.abs(numeric)) + atol * Math.max(scale, 1);
    results.push({ input: c.name, analytic, numeric, error, tolerance, ok: error <= tolerance && Number.isFinite(analytic) });
  }
  await session.release();
  return results;
}
