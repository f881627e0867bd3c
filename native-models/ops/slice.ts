// Slice (ONNX opset 13: starts/ends/axes/steps as inputs). Shape rule from the spec's clamping rules.
// Gradient on static dims (JAX slice transpose = pad): reverse dy for negative steps, put |step|-1 zeros between
// elements for strided slices, then zero-pad it back into place.
import type { GraphBuilder } from './builder.js';
import { GraphError } from '../ir/errors.js';
import type { Value } from '../ir/graph.js';
import { normAxis } from '../ir/shape.js';
import { toNumbers } from '../ir/tensor.js';
import { constInts, need, optConstInts } from './infer-helpers.js';
import { placeInnermost } from './matmul.js';
import { type GradContext, type Grads, defineOp } from './op-def.js';

const INT_MAX = 2 ** 62;

/** Resolved [first index, count] of a slice along a dim of size `dim` (ONNX Slice clamping rules). */
export function sliceRange(dim: number, start: number, end: number, step: number): { first: number; count: number } {
  if (step === 0) throw new GraphError('slice step 0');
  let s = start < 0 ? start + dim : start;
  let e = end < 0 ? end + dim : end;
  if (step > 0) {
    s = Math.min(Math.max(s, 0), dim);
    e = Math.min(Math.max(e, 0), dim);
    return { first: s, count: Math.max(0, Math.ceil((e - s) / step)) };
  }
  s = Math.min(Math.max(s, 0), dim - 1);
  e = Math.min(Math.max(e, -1), dim - 1);
  return { first: s, count: Math.max(0, Math.ceil((s - e) / -step)) };
}

function params(x: Value, starts: number[], ends: number[], axes: number[] | undefined, steps: number[] | undefined, op: string, node: string) {
  const ax = (axes ?? starts.map((_, i) => i)).map((a) => normAxis(a, x.rank, op, node));
  const st = steps ?? starts.map(() => 1);
  return ax.map((a, i) => ({ axis: a, start: starts[i], end: ends[i], step: st[i] }));
}

export const slice = defineOp({
  type: 'Slice',
  attrs: {},
  nonDiffInputs: [1, 2, 3, 4],
  infer: (ctx) => {
    const x = need(ctx, 0);
    const ps = params(x, constInts(ctx, 1, 'starts'), constInts(ctx, 2, 'ends'), optConstInts(ctx, 3), optConstInts(ctx, 4), ctx.op, ctx.node);
    const shape = [...x.shape];
    for (const p of ps) {
      const d = x.shape[p.axis];
      if (typeof d === 'number') shape[p.axis] = sliceRange(d, p.start, p.end, p.step).count;
      else if (p.start === 0 && p.end >= INT_MAX && p.step === 1) shape[p.axis] = d;
      else shape[p.axis] = ctx.fresh(p.axis);
    }
    return [{ dtype: x.dtype, shape }];
  },
  grad: (ctx: GradContext): Grads => {
    const { g, node } = ctx;
    const x = ctx.inputs[0]!;
    const get = (i: number) => (ctx.inputs[i]?.constValue ? toNumbers(ctx.inputs[i]!.constValue!) : undefined);
    const ps = params(x, get(1)!, get(2)!, get(3), get(4), node.opType, node.name);
    let dy = ctx.dOut[0]!;
    const pads = new Array<number>(2 * x.rank).fill(0);
    const flip: number[] = [];
    const spread: { axis: number; step: number; keep: number }[] = [];
    for (const p of ps) {
      const d = x.shape[p.axis];
      if (typeof d !== 'number') {
        if (p.start === 0 && p.end >= INT_MAX && p.step === 1) continue;
        throw new GraphError('gradient needs static sliced dims', node.opType, node.name);
      }
      const { first, count } = sliceRange(d, p.start, p.end, p.step);
      const a = Math.abs(p.step);
      const lo = p.step > 0 ? first : first - (count - 1) * a;
      const span = a === 1 ? count : Math.min(count * a, d - lo);
      pads[p.axis] = lo;
      pads[p.axis + x.rank] = d - lo - span;
      if (p.step < 0) flip.push(p.axis);
      if (a > 1) spread.push({ axis: p.axis, step: a, keep: span });
    }
    if (flip.length) dy = g.op.slice(dy, flip.map(() => -1), flip.map(() => -INT_MAX), flip, flip.map(() => -1));
    // steps > 1: put s-1 zeros after each element (Unsqueeze, Pad, Reshape), then crop to the covered span; the
    // innermost axis first, while the tensor is smallest (ORT's Pad of a trailing size-1 axis copies element by
    // element: 41.6 of 48 ms for the ResNet-18 layer2 downsample's [16, 64, 16^3] when it came last, 1/8 of that
    // first). The innermost axis itself is spread by a one-hot MatMul instead (ops/matmul.ts placeInnermost): that
    // Pad was still 12.7 ms of the step for the layer2 downsample's [16, 64, 8^3], the MatMul 0.2 ms.
    for (const { axis, step, keep } of [...spread].sort((p, q) => q.axis - p.axis)) {
      const shp = dy.shape;
      if (!shp.every((v) => typeof v === 'number')) throw new GraphError('strided slice gradient needs static dims', node.opType, node.name);
      if (axis === x.rank - 1 && x.rank >= 2) {
        dy = placeInnermost(g, dy, Array.from({ length: shp[axis] as number }, (_, i) => i * step), keep);
        continue;
      }
      const u = g.op.unsqueeze(dy, [axis + 1]);
      const pz = new Array<number>(2 * u.rank).fill(0);
      pz[u.rank + axis + 1] = step - 1;
      const merged = [...(shp as number[])];
      merged[axis] *= step;
      dy = g.op.reshape(g.op.pad(u, pz), merged);
      if (merged[axis] > keep) dy = g.op.slice(dy, [0], [keep], [axis]);
    }
    return [pads.some((p) => p !== 0) ? g.op.pad(dy, pads) : dy];
  },
  call: (g: GraphBuilder, x: Value, starts: number[], ends: number[], axes?: number[], steps?: number[]): Value =>
    g.emit('Slice', [x, g.ints(starts), g.ints(ends), axes ? g.ints(axes) : undefined, steps ? g.ints(steps) : undefined])[0],
});

export const SLICE_END = INT_MAX;
