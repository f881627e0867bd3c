// Pure shape helpers: dims are numbers (static) or strings (symbolic, e.g. the batch 'n').
// Broadcasting follows ONNX's numpy-style multidirectional rule (onnx/docs/Broadcasting.md).
import { GraphError } from './errors.js';

export type Dim = number | string;
export type Shape = Dim[];

export const isStatic = (s: Shape): s is number[] => s.every((d) => typeof d === 'number');

export function numel(s: Shape): number | undefined {
  let n = 1;
  for (const d of s) {
    if (typeof d !== 'number') return undefined;
    n *= d;
  }
  return n;
}

export function broadcastDim(a: Dim, b: Dim, op: string, node: string): Dim {
  if (a === b) return a;
  if (a === 1) return b;
  if (b === 1) return a;
  if (typeof a === 'number' && typeof b === 'number')
    throw new GraphError(`cannot broadcast dims ${a} and ${b}`, op, node);
  // a symbolic dim against a static one (>1) must equal it; two different symbols are assumed equal
  return typeof a === 'number' ? a : typeof b === 'number' ? b : a;
}

export function broadcastShapes(shapes: Shape[], op: string, node: string): Shape {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out: Shape = [];
  for (let i = 0; i < rank; i++) {
    let d: Dim = 1;
    for (const s of shapes) {
      const k = i - (rank - s.length);
      if (k >= 0) d = broadcastDim(d, s[k], op, node);
    }
    out.push(d);
  }
  return out;
}

export function normAxis(axis: number, rank: number, op = '?', node = '?'): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw new GraphError(`axis ${axis} out of range for rank ${rank}`, op, node);
  return a;
}

export const shapeToString = (s: Shape): string => `[${s.join(',')}]`;
