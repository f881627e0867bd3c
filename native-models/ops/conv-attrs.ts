// Conv/ConvTranspose/pool attribute resolution and output-size rules (ONNX operator spec, Conv-11,
// ConvTranspose-11, MaxPool-12, AveragePool-11): out = floor((in + pb + pe - ((k-1)d + 1)) / s) + 1 and
// ConvTranspose out = s (in - 1) + output_padding + ((k-1)d + 1) - pb - pe.
import { GraphError } from '../ir/errors.js';
import type { Node } from '../ir/graph.js';
import type { Dim } from '../ir/shape.js';

export interface ConvAttrs {
  strides?: number[];
  pads?: number[];
  dilations?: number[];
  group?: number;
  kernel_shape?: number[];
}

export interface Resolved {
  k: number[];
  s: number[];
  d: number[];
  pb: number[];
  pe: number[];
  group: number;
}

export function resolve(get: <T>(n: string, d: T) => T, kernel: Dim[], op: string, node: string): Resolved {
  const r = kernel.length;
  if (get('auto_pad', 'NOTSET') !== 'NOTSET') throw new GraphError('auto_pad is not supported; give pads', op, node);
  const k = get<number[] | undefined>('kernel_shape', undefined) ?? kernel.map((x) => {
    if (typeof x !== 'number') throw new GraphError('kernel dims must be static', op, node);
    return x;
  });
  const s = get('strides', new Array<number>(r).fill(1));
  const d = get('dilations', new Array<number>(r).fill(1));
  const pads = get('pads', new Array<number>(2 * r).fill(0));
  return { k, s, d, pb: pads.slice(0, r), pe: pads.slice(r), group: get('group', 1) };
}

export function resolveNode(node: Node, kernel: Dim[]): Resolved {
  return resolve((n, d) => node.attr(n, d as never) as typeof d, kernel, node.opType, node.name);
}

export function convOut(inp: Dim, i: number, a: Resolved, ceil = false, fresh?: (i: number) => string): Dim {
  if (typeof inp !== 'number') return fresh ? fresh(i + 2) : `?${i + 2}`;
  const num = inp + a.pb[i] + a.pe[i] - ((a.k[i] - 1) * a.d[i] + 1);
  return (ceil ? Math.ceil(num / a.s[i]) : Math.floor(num / a.s[i])) + 1;
}

export function convTransposeOut(inp: Dim, i: number, a: Resolved, outPad: number[], fresh?: (i: number) => string): Dim {
  if (typeof inp !== 'number') return fresh ? fresh(i + 2) : `?${i + 2}`;
  return a.s[i] * (inp - 1) + (outPad[i] ?? 0) + ((a.k[i] - 1) * a.d[i] + 1) - a.pb[i] - a.pe[i];
}
