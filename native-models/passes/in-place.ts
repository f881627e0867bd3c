// Which carried tensors of a step graph may be updated in place: output `new.X` written by ORT into the buffer
// that is fed as input X, in the same run. That is safe when nothing can read X after the output starts being
// written, i.e. every node that reads X's memory (directly or through a view such as Reshape, which ORT runs
// without a copy) is an ancestor of the node producing `new.X` (so ORT's sequential executor has run it before),
// or is that node itself and reads X element for element (an elementwise op whose output has X's shape: each
// output element is written after its own inputs are read). In a train step this holds for the target network's
// parameters (read by the target forward, before the loss, and by the EMA), optimiser state (read only by its own
// update) and BN running statistics; for the online parameters, which the backward pass reads independently of
// their update (a conv's input gradient, a BN's dx), graphs/train-step.ts adds the data dependency that makes it
// hold (`readersDone`).
import type { Graph, Node, Value } from '../ir/graph.js';

const ELEMENTWISE = new Set(['Add', 'Sub', 'Mul', 'Div']);

/** Whether `n` reads its input `v` element for element into an output of v's shape: the elementwise ops, and Gemm's
 *  C input when C has the output's shape (Y = alpha A B + beta C: Y[i] reads C[i] only; optim/axpby.ts). */
function readsElementwise(n: Node, v: Value): boolean {
  if (ELEMENTWISE.has(n.opType)) return true;
  return n.opType === 'Gemm' && n.inputs[2] === v && n.inputs[0] !== v && n.inputs[1] !== v && sameShape(v, n.outputs[0]);
}
/** Ops whose output ORT may hand out as a view of their input's memory. */
const VIEWS = new Set(['Reshape', 'Squeeze', 'Unsqueeze', 'Flatten', 'Identity']);

export type Consumers = Map<Value, Node[]>;

export function consumersOf(nodes: readonly Node[]): Consumers {
  const c: Consumers = new Map();
  for (const n of nodes) for (const v of n.inputs) if (v) (c.get(v) ?? c.set(v, []).get(v)!).push(n);
  return c;
}

/** Nodes that read v's memory: its consumers, looking through view ops (whose consumers read it too). */
export function memoryReaders(consumers: Consumers, v: Value): Node[] {
  const out: Node[] = [];
  const walk = (u: Value) => {
    for (const n of consumers.get(u) ?? []) {
      if (VIEWS.has(n.opType) && n.inputs[0] === u) walk(n.outputs[0]);
      else if (!out.includes(n)) out.push(n);
    }
  };
  walk(v);
  return out;
}

/** Every node that `from` depends on (not including `from`). */
export function ancestors(from: Node): Set<Node> {
  const seen = new Set<Node>();
  const stack: Node[] = [from];
  while (stack.length > 0) {
    const n = stack.pop()!;
    for (const v of n.inputs) {
      const q = v?.producer;
      if (q && !seen.has(q)) {
        seen.add(q);
        stack.push(q);
      }
    }
  }
  return seen;
}

/** The input of `reader` through which it reads x's memory (x itself, or a view of it such as Reshape's output). */
function readThrough(reader: Node, x: Value): Value {
  for (const v of reader.inputs) {
    let u: Value | undefined = v;
    while (u && u !== x && u.producer && VIEWS.has(u.producer.opType)) u = u.producer.inputs[0];
    if (u === x) return v!;
  }
  return x;
}

const numel = (v: Value): number | undefined =>
  v.shape.every((d) => typeof d === 'number') ? (v.shape as number[]).reduce((p, q) => p * q, 1) : undefined;
/** Same static element count: an output may be the panel view of its input (optim/axpby.ts). */
const sameSize = (a: Value, b: Value): boolean => numel(a) !== undefined && numel(a) === numel(b);

const sameShape = (a: Value, b: Value): boolean =>
  a.shape.length === b.shape.length && a.shape.every((d, i) => typeof d === 'number' && d === b.shape[i]);

/** Names of the inputs X whose output `outputFor(X)` can be written into X's own buffer. */
export function inPlaceSafe(graph: Graph, names: readonly string[], outputFor: (name: string) => string): Set<string> {
  const consumers = consumersOf(graph.nodes);
  const inputs = new Map(graph.inputs.map((v) => [v.name, v]));
  const outputs = new Map(graph.outputs.map((v) => [v.name, v]));
  const safe = new Set<string>();
  for (const name of names) {
    const x = inputs.get(name);
    const y = outputs.get(outputFor(name));
    const p = y?.producer;
    if (!x || !y || !p || !sameSize(x, y)) continue;
    const rs = memoryReaders(consumers, x);
    if (rs.includes(p) && !readsElementwise(p, readThrough(p, x))) continue;
    // ancestors of p, walking back until every reader has been seen
    const want = new Set(rs.filter((r) => r !== p));
    const seen = new Set<Node>([p]);
    const stack: Node[] = [p];
    while (want.size > 0 && stack.length > 0) {
      const n = stack.pop()!;
      for (const v of n.inputs) {
        const q = v?.producer;
        if (!q || seen.has(q)) continue;
        seen.add(q);
        want.delete(q);
        stack.push(q);
      }
    }
    if (want.size === 0) safe.add(name);
  }
  return safe;
}
