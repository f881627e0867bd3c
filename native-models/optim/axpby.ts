// a * x + beta * y as ONE Gemm over panel views of x and y: Gemm(A, B, C) = A B + beta C with A = x as [n/K, K],
// B = a I (the runtime scalar a times the K x K identity) and C = y as [n/K, K] (K = 16 where it divides n, else the
// [n, 1] view with B = [[a]]). Optimiser updates on parameter-size tensors are memory-bound; one kernel call makes one
// pass, where Mul + Mul + Add make three and allocate two temporaries. The panel width matters: on 7M floats (AMD EPYC
// Zen 2, 2 threads, ORT 1.30) the [n, 1] Gemm took 47.6 ms (MLAS's skinny path), the K = 16 panel 22.8 ms; in the
// BYOL ResNet-18 step at 8 x 64^3 (LARS + EMA over 75M floats) the step went from 6.39 s to 6.06 s, where Mul + Add
// made it 7.42 s (temporaries, and no in-place update). Reshapes are free views in ORT. The result keeps the panel
// shape: reshaping it back would cost a copy where it is a graph output written into a fed buffer, so updates keep
// it and the runner fetches with that shape (graphs/train-runner.ts).
import type { GraphBuilder } from '../ops/builder.js';
import { GraphError } from '../ir/errors.js';
import type { DType } from '../ir/dtype.js';
import type { Value } from '../ir/graph.js';
import { tensor } from '../ir/tensor.js';

/** Panel width of the Gemm views (K above). */
export const PANEL = 16;

const numel = (v: Value): number | undefined =>
  v.shape.every((d) => typeof d === 'number') ? (v.shape as number[]).reduce((p, q) => p * q, 1) : undefined;

/** The [rows, K] view axpby works on: K = PANEL where it divides the element count, else 1. */
function panelShape(n: number): [number, number] {
  return n % PANEL === 0 ? [n / PANEL, PANEL] : [n, 1];
}

/** v as its axpby view ([n/16, 16], or [n, 1]); itself when it already is. */
export function flat(g: GraphBuilder, v: Value): Value {
  const n = numel(v);
  if (n === undefined) throw new GraphError(`needs a static shape, got ${v}`, 'Reshape', 'flat');
  const [rows, k] = panelShape(n);
  return v.rank === 2 && v.shape[0] === rows && v.shape[1] === k ? v : g.op.reshape(v, [rows, k]);
}

/** The PANEL x PANEL identity of `dtype`, one initializer per graph (every weight's update needs it). */
function identity(g: GraphBuilder, dtype: DType): Value {
  return g.sharedConstant(`identity|${dtype}|${PANEL}`, () => {
    const t = tensor(dtype, [PANEL, PANEL]);
    for (let i = 0; i < PANEL; i++) t.data[i * PANEL + i] = 1;
    return t;
  });
}

/** a x + beta y in the axpby view of x; a is a runtime scalar, beta a number; x and y have n elements each. */
export function axpby(g: GraphBuilder, a: Value, x: Value, y: Value, beta: number): Value {
  const n = numel(x);
  if (n === undefined || n !== numel(y)) throw new GraphError(`axpby needs static shapes of one size, got ${x} and ${y}`, 'Gemm', 'axpby');
  const k = panelShape(n)[1];
  const b = k === 1 ? g.op.reshape(a, [1, 1]) : g.op.mul(identity(g, x.dtype), a);
  // Gemm's beta is a float attribute: exact for float32 graphs; a float64 graph with a beta float32 cannot hold
  // (0.9) scales y by its own Mul instead
  if (x.dtype === 'float64' && Math.fround(beta) !== beta) return g.op.gemm(flat(g, x), b, g.op.mul(flat(g, y), beta));
  return g.op.gemm(flat(g, x), b, flat(g, y), { beta });
}
