// Drops optional trailing outputs nothing reads: MaxPool's Indices (ONNX MaxPool-12: optional). The builder always
// records MaxPool with Indices because its gradient needs them; where no gradient flows (BYOL's target network,
// the inference encoder, BN re-estimation) computing them is waste: on 16x64x32^3 MaxPool took 185-192 ms with
// Indices and 15-21 ms without (issue #13, measured on an AVX-512 Xeon).
import type { Graph, Value } from '../ir/graph.js';

/** Ops whose trailing outputs are optional in ONNX, by op type: how many leading outputs must stay. */
const OPTIONAL_AFTER: Record<string, number> = { MaxPool: 1 };

/** Removes unread optional outputs in place; returns the number of outputs removed. */
export function dropUnusedOutputs(graph: Graph): number {
  const read = new Set<Value>(graph.outputs);
  for (const n of graph.nodes) for (const v of n.inputs) if (v) read.add(v);
  let dropped = 0;
  for (const n of graph.nodes) {
    const keep = OPTIONAL_AFTER[n.opType];
    if (keep === undefined || n.domain) continue;
    const outs = n.outputs as Value[];
    while (outs.length > keep && !read.has(outs[outs.length - 1])) {
      outs.pop();
      dropped++;
    }
  }
  return dropped;
}
