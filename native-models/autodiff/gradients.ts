// Reverse-mode autodiff over the builder's tape (the "backpropagation on a Wengert list" of Griewank &
// Walther, as in JAX's backward_pass and tfjs-core's backprop): gradients of a scalar w.r.t. chosen values are
// appended to the SAME graph, so one session runs forward + backward (+ optimiser update).
// Only nodes on a path from a `wrt` value to the loss are differentiated (pruning); fan-out contributions are
// accumulated with Add; each node's rule comes from the op registry, or a region's custom rule
// (GraphBuilder.withCustomGradient) replaces the rules of the nodes it recorded.
// It fails loudly (as tinygrad's gradient pass does) instead of returning silent zeros:
// - a path is a chain of float values through the differentiable inputs of ops; an op on such a path from a `wrt`
//   value to the loss without a gradient rule (a NonDifferentiable op, or a node whose type is not in the registry,
//   e.g. one a pass inserted) is a GraphError naming the op and node. Ops declared zeroGradient (Floor, Ceil, Sign)
//   end paths: their derivative is 0 almost everywhere. stopGradients end paths on purpose.
// - a `wrt` value with no path to the loss is an error unless `unconnected: 'zeros'` asks for zeros.
// - every rule must return one gradient per input, a Value for each wanted input, with the input's dtype, rank and
//   static dims; checked where gradients are accumulated.
import { isFloat } from '../ir/dtype.js';
import { GraphError } from '../ir/errors.js';
import type { Node, Value } from '../ir/graph.js';
import { shapeToString } from '../ir/shape.js';
import { tensor } from '../ir/tensor.js';
import type { GraphBuilder } from '../ops/builder.js';
import { zerosLike } from '../ops/constant.js';
import type { GradOptions, OpDef } from '../ops/op-def.js';
import { opByType } from '../ops/registry.js';

export interface GradientsOptions extends GradOptions {
  /** Seed gradient for `loss` (default: 1, which requires a one-element loss). */
  seed?: Value;
  /** Name scope for the appended gradient nodes (default 'grad'). */
  scope?: string;
  /** Values treated as constants (stop-gradient): no gradient flows through them (e.g. BYOL's target branch). */
  stopGradients?: Value[];
  /** A `wrt` value the loss does not depend on through any differentiable path: an error (default) or zeros. */
  unconnected?: 'error' | 'zeros';
}

/** Inputs of `n` through which a gradient can flow: all for regions and ops without a rule (so that autodiff can
 *  see them on a path and refuse), none for zero-gradient ops, all but `nonDiffInputs` for differentiable ops. */
function pathInputs(n: Node, def: OpDef | undefined, inRegion: boolean): (Value | undefined)[] {
  if (inRegion || !def || def.nonDifferentiable !== undefined) return n.inputs;
  if (def.zeroGradient !== undefined) return [];
  const skip = def.nonDiffInputs ?? [];
  return n.inputs.filter((_, i) => !skip.includes(i));
}

/** The gradient `d` a rule gave for input `v` of `n` must have v's dtype, rank and static dims. */
function checkGradient(n: { opType: string; name: string }, i: number, v: Value, d: Value): void {
  const bad = (why: string) => new GraphError(`gradient rule gave ${d} for input ${i} ${v}: ${why}`, n.opType, n.name);
  if (d.dtype !== v.dtype) throw bad(`dtype ${d.dtype}, input is ${v.dtype}`);
  if (d.rank !== v.rank) throw bad(`shape ${shapeToString(d.shape)}, input is ${shapeToString(v.shape)}`);
  v.shape.forEach((dim, k) => {
    const e = d.shape[k];
    if (typeof dim === 'number' && typeof e === 'number' && dim !== e) throw bad(`shape ${shapeToString(d.shape)}, input is ${shapeToString(v.shape)}`);
  });
}

/** Append d loss / d wrt[i] to the graph; returns one gradient value per `wrt` entry. */
export function gradients(g: GraphBuilder, loss: Value, wrt: Value[], opts: GradientsOptions = {}): Value[] {
  const nodes = g.nodes.slice();
  const stop = new Set<Value>(opts.stopGradients ?? []);
  const defOf = (n: Node) => opByType(n.opType, n.domain);
  // forward reachability from wrt along float paths
  const fromWrt = new Set<Value>(wrt);
  for (const n of nodes) {
    if (!pathInputs(n, defOf(n), g.regionOf.has(n)).some((v) => v && fromWrt.has(v) && !stop.has(v))) continue;
    for (const o of n.outputs) if (!stop.has(o) && isFloat(o.dtype)) fromWrt.add(o);
  }
  // backward reachability to loss, restricted to nodes that touch wrt
  const toLoss = new Set<Value>([loss]);
  const active: Node[] = [];
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i];
    if (!n.outputs.some((o) => toLoss.has(o) && fromWrt.has(o))) continue;
    const def = defOf(n);
    const inRegion = g.regionOf.has(n);
    if (!inRegion && !def?.grad) {
      const why = def ? (def.nonDifferentiable ?? 'no rule') : 'op type not in the registry';
      throw new GraphError(
        `no gradient rule (${why}) on the path from ${wrt.filter((v) => fromWrt.has(v)).map((v) => v.name).slice(0, 3).join(', ')} to ${loss.name}; stop the gradient before it if that is intended`,
        n.opType,
        n.name,
      );
    }
    active.push(n);
    for (const v of pathInputs(n, def, inRegion)) if (v) toLoss.add(v);
  }
  // active is in reverse topological order
  const contrib = new Map<Value, Value[]>();
  const push = (v: Value, d: Value) => {
    const l = contrib.get(v);
    if (l) l.push(d);
    else contrib.set(v, [d]);
  };
  const total = (v: Value): Value | undefined => {
    const l = contrib.get(v);
    if (!l || l.length === 0) return undefined;
    let s = l[0];
    for (let i = 1; i < l.length; i++) s = g.op.add(s, l[i]);
    contrib.set(v, [s]);
    return s;
  };
  /** Check a rule's result (one entry per input, a Value for each wanted one, matching dtype/shape) and accumulate. */
  const accumulate = (n: { opType: string; name: string }, inputs: (Value | undefined)[], wants: boolean[], grads: (Value | undefined)[]) => {
    if (grads.slice(inputs.length).some((d) => d !== undefined))
      throw new GraphError(`gradient rule returned ${grads.length} gradients for ${inputs.length} inputs`, n.opType, n.name);
    inputs.forEach((v, i) => {
      if (!v || !wants[i]) return;
      const d = grads[i];
      if (!d) throw new GraphError(`gradient rule returned no gradient for input ${i} ${v}`, n.opType, n.name);
      checkGradient(n, i, v, d);
      push(v, d);
    });
  };

  return g.scope(opts.scope ?? 'grad', () => {
    let seed = opts.seed;
    if (!seed) {
      if (loss.shape.some((d) => d !== 1)) throw new GraphError(`loss ${loss} is not a scalar; pass a seed`, 'gradients', loss.name);
      seed = g.constant(tensor(loss.dtype, loss.shape.map(Number), [1]));
    }
    push(loss, seed);
    const done = new Set<object>();
    const isWanted = (v: Value | undefined) => !!v && isFloat(v.dtype) && fromWrt.has(v) && !stop.has(v) && toLoss.has(v);
    for (const n of active) {
      const region = g.regionOf.get(n);
      if (region) {
        // a custom-gradient region is differentiated once, as a unit, at its last active node
        if (done.has(region)) continue;
        done.add(region);
        const dOut = region.outputs.map((o) => total(o));
        if (dOut.every((d) => d === undefined)) continue;
        for (const m of region.nodes)
          for (const o of m.outputs)
            if (!region.outputs.includes(o) && contrib.has(o))
              throw new GraphError(`${o.name} is internal to a custom-gradient region but receives a gradient`, m.opType, m.name);
        const wants = region.inputs.map(isWanted);
        if (!wants.some(Boolean)) continue;
        const grads = g.scope(n.name, () => region.grad({ g, inputs: region.inputs, outputs: region.outputs, dOut, wants, options: opts }));
        accumulate({ opType: 'custom-gradient region', name: n.name }, region.inputs, wants, grads);
        continue;
      }
      const def = defOf(n)!;
      const dOut = n.outputs.map((o) => total(o));
      if (dOut.every((d) => d === undefined)) continue;
      const wants = n.inputs.map((v, i) => isWanted(v) && !(def.nonDiffInputs ?? []).includes(i));
      if (!wants.some(Boolean)) continue;
      const grads = g.scope(n.name, () => def.grad!({ g, node: n, inputs: n.inputs, outputs: n.outputs, dOut, wants, options: opts }));
      accumulate(n, n.inputs, wants, grads);
    }
    return wrt.map((v) => {
      const d = total(v);
      if (d) return d;
      if (opts.unconnected !== 'zeros')
        throw new GraphError(`${loss.name} does not depend on ${v.name} through any differentiable path (unconnected: 'zeros' gives zeros)`, 'gradients', v.name);
      return zerosLike(g, v);
    });
  });
}
