// Rematerialisation of expanding convolutions for the backward pass. A forward Conv whose output is much larger
// than its input (the ResNet stem: 1 channel in, 64 out at half resolution, 8x the input's size) and whose input is
// kept for the backward pass anyway (its weight gradient reads it) is computed a second time where the backward pass
// first reads its output, instead of keeping the output from the forward pass to the backward pass (the
// "checkpointing" of Chen et al. 2016, "Training Deep Nets with Sublinear Memory Cost", for one op). The copy reads
// the input through ops/where.ts `after` on a value of the backward pass, so ORT runs it then and not early. The
// recomputed values are bit-identical (same kernel, same inputs); the cost is one more forward Conv.
import type { GraphBuilder } from '../ops/builder.js';
import { bytesPerElement } from '../ir/dtype.js';
import type { Node, Value } from '../ir/graph.js';
import { after } from '../ops/where.js';
import { consumersOf, memoryReaders } from './in-place.js';

const VIEWS = new Set(['Reshape', 'Squeeze', 'Unsqueeze', 'Flatten', 'Identity']);
/** Recompute only when the output is at least this many times the input's size. */
export const RECOMPUTE_MIN_EXPANSION = 4;

const bytes = (v: Value): number | undefined =>
  v.shape.every((d) => typeof d === 'number') ? (v.shape as number[]).reduce((p, q) => p * q, 1) * bytesPerElement(v.dtype) : undefined;

const attrValues = (n: Node) => Object.fromEntries(Object.entries(n.attrs).map(([k, a]) => [k, a.value]));

/**
 * Rewires the backward readers (nodes at tape index >= fwdEnd) of qualifying forward Conv outputs to a recomputed
 * copy; returns the names of the recomputed convs. Nodes are inserted before the first backward reader, so the
 * tape stays in topological order.
 */
export function recomputeInBackward(g: GraphBuilder, fwdEnd: number): string[] {
  const nodes = g.nodes;
  const consumers = consumersOf(nodes);
  const index = new Map(nodes.map((n, i) => [n, i]));
  const backward = (n: Node) => (index.get(n) ?? -1) >= fwdEnd;
  const done: string[] = [];
  for (const conv of nodes.slice(0, fwdEnd)) {
    if (conv.opType !== 'Conv' || g.regionOf.has(conv)) continue;
    const [x, w] = conv.inputs;
    const y = conv.outputs[0];
    const bx = x && bytes(x), by = bytes(y);
    if (!x || !w || !bx || !by || by < RECOMPUTE_MIN_EXPANSION * bx) continue;
    if (!memoryReaders(consumers, x).some(backward)) continue; // x would not be kept otherwise
    // backward uses of y, each with the chain of views that leads to it
    const uses: { node: Node; input: number; chain: Node[] }[] = [];
    const derived = new Set<Value>([y]);
    const walk = (v: Value, chain: Node[]) => {
      for (const n of consumers.get(v) ?? []) {
        if (VIEWS.has(n.opType) && n.inputs[0] === v) {
          derived.add(n.outputs[0]);
          walk(n.outputs[0], [...chain, n]);
        } else if (backward(n)) {
          n.inputs.forEach((u, i) => { if (u === v) uses.push({ node: n, input: i, chain }); });
        }
      }
    };
    walk(y, []);
    if (uses.length === 0) continue;
    const first = uses.reduce((a, b) => (index.get(b.node)! < index.get(a.node)! ? b : a));
    const dep = first.node.inputs.find((v) => v && !derived.has(v));
    if (!dep) continue;
    const mark = nodes.length;
    const y2 = g.scope(`recompute.${conv.name}`, () => g.emit('Conv', [after(g, x, dep), ...conv.inputs.slice(1)], attrValues(conv))[0]);
    for (const u of uses) {
      let v = y2;
      for (const view of u.chain) v = g.emit(view.opType, [v, ...view.inputs.slice(1)], attrValues(view))[0];
      (u.node.inputs as (Value | undefined)[])[u.input] = v;
    }
    const added = nodes.splice(mark);
    nodes.splice(index.get(first.node)!, 0, ...added);
    nodes.forEach((n, i) => index.set(n, i));
    done.push(conv.name);
  }
  return done;
}
