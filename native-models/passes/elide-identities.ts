// Removes the Identity nodes that GraphBuilder.output(v, name) inserts to give an output its name: the producer of
// v writes the output directly and v's consumers read it (ONNX allows graph outputs to be consumed inside the
// graph). In a train step every new parameter, buffer and state is such an output, and each Identity is a
// full-size copy per step (measured: ~15% of a small ResNet-18 step). Skipped where v is a graph input,
// initializer or output itself.
import type { Graph, Value } from '../ir/graph.js';

export function elideOutputIdentities(graph: Graph): Graph {
  const outputs = new Set<Value>(graph.outputs);
  const fixed = new Set<Value>([...graph.inputs, ...graph.initializers.map((i) => i.value)]);
  const consumers = new Map<Value, { node: Graph['nodes'][number]; i: number }[]>();
  for (const n of graph.nodes) n.inputs.forEach((v, i) => { if (v) (consumers.get(v) ?? consumers.set(v, []).get(v)!).push({ node: n, i }); });
  const drop = new Set<Graph['nodes'][number]>();
  for (const n of graph.nodes) {
    if (n.opType !== 'Identity') continue;
    const v = n.inputs[0];
    const o = n.outputs[0];
    if (!v || !outputs.has(o) || outputs.has(v) || fixed.has(v) || !v.producer || v.dtype !== o.dtype) continue;
    const p = v.producer;
    const k = p.outputs.indexOf(v);
    if (k < 0) continue;
    (p.outputs as Value[])[k] = o;
    o.producer = p;
    for (const c of consumers.get(v) ?? []) {
      if (c.node === n) continue;
      (c.node.inputs as (Value | undefined)[])[c.i] = o;
      (consumers.get(o) ?? consumers.set(o, []).get(o)!).push(c);
    }
    consumers.delete(v);
    drop.add(n);
  }
  return { ...graph, nodes: graph.nodes.filter((n) => !drop.has(n)) };
}
