// Reverse-mode autodiff over the builder's tape (the "backpropagation on a Wengert list" of Griewank &
// Walther, as in JAX's backward_pass and tfjs-core's backprop): gradients of a scalar w.r.t. chosen values are
// appended to the SAME graph, so one session runs forward + backward (+ optimiser update).
// Only nodes on a path from a `wrt` value to the loss are differentiated (pruning); fan-out contributions are
// accumulated with Add; each node's rule comes from the op registry, or a region's custom rule
// (GraphBuilder.withCustomGradient) replaces the rules of the nodes it recorded.
import type { GraphBuilder } from '../ops/builder.js';
import { isFloat } from '../ir/dtype.js';
import { GraphError } from '../ir/errors.js';
import type { Node, Value } from '../ir/graph.js';
import { tensor } from '../ir/tensor.js';
import type { GradOptions } from '../ops/op-def.js';
import { opByType } from '../ops/registry.js';
import { zerosLike } from '../ops/constant.js';

export interface GradientsOptions extends GradOptions {
  /** Seed gradient for `loss` (default: 1, which requires a one-element loss). */
  seed?: Value;
  /** Name scope for the appended gradient nodes (default 'grad'). */
  scope?: string;
  /** Values treated as constants (stop-gradient): no gradient flows through them (e.g. BYOL's target branch). */
  stopGradients?: Value[];
  /** What to return for a `wrt` value the loss does not depend on: zeros (default) or an error. */
  unconnected?: 'zeros' | 'error';
}

/** Append d loss / d wrt[i] to the graph; returns one gradient value per `wrt` entry. */
export function gradients(g: GraphBuilder, loss: Value, wrt: Value[], opts: GradientsOptions = {}): Value[] {
  const nodes = g.nodes.slice();
  // forward reachability from wrt
  const fromWrt = new Set<Value>(wrt);
  const stop = new Set<Value>(opts.stopGradients ?? []);
  for (const n of nodes)
    if (n.inputs.some((v) => v && fromWrt.has(v) && !stop.has(v)) && (opByType(n.opType)?.grad || g.regionOf.has(n)))
      for (const o of n.outputs) if (!stop.has(o)) fromWrt.add(o);
  // backward reachability to loss, restricted to nodes that touch wrt
  const toLoss = new Set<Value>([loss]);
  const active: Node[] = [];
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i];
    if (!n.outputs.some((o) => toLoss.has(o))) continue;
    if (!n.outputs.some((o) => fromWrt.has(o))) continue;
    active.push(n);
    for (const v of n.inputs) if (v) toLoss.add(v);
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
        const grads = g.scope(n.name, () => region.grad({ g, inputs: region.inputs, outputs: region.outputs, dOut, wants }));
        region.inputs.forEach((v, i) => {
          if (grads[i] && wants[i]) push(v, grads[i]!);
        });
        continue;
      }
      const def = opByType(n.opType);
      if (!def?.grad) continue;
      const dOut = n.outputs.map((o) => total(o));
      if (dOut.every((d) => d === undefined)) continue;
      const wants = n.inputs.map((v, i) => isWanted(v) && !(def.nonDiffInputs ?? []).includes(i));
      if (!wants.some(Boolean)) continue;
      const grads = g.scope(n.name, () =>
        def.grad!({ g, node: n, inputs: n.inputs, outputs: n.outputs, dOut, wants, options: opts }),
      );
      n.inputs.forEach((v, i) => {
        const d = grads[i];
        if (!v || !d || !wants[i]) return;
        if (d.dtype !== v.dtype) throw new GraphError(`gradient for ${v} has dtype ${d.dtype}`, n.opType, n.name);
        push(v, d);
      });
    }
    return wrt.map((v) => {
      const d = total(v);
      if (d) return d;
      if (opts.unconnected === 'error') throw new GraphError(`loss does not depend on ${v.name}`, 'gradients', v.name);
      return zerosLike(g, v);
    });
  });
}
