// GraphBuilder: a tape that records ONNX ops as they are called, with deterministic scoped names
// (`layer1.0.conv1.Conv`, `layer1.0.conv1.weight`), shape/dtype inference from the op registry, graph inputs,
// initializers, cached small constants and graph outputs. `g.op.<name>(...)` is the typed op surface generated
// from the registry (ops/registry.ts).
import { OPS, opByType } from './registry.js';
import type { ConvGradOptions, GradOptions, InferContext, OpDef } from './op-def.js';
import type { ConvPlanner } from './conv-plan.js';
import type { DType } from '../ir/dtype.js';
import { GraphError } from '../ir/errors.js';
import { type Attr, type AttrValue, type Graph, type Initializer, Node, Value } from '../ir/graph.js';
import { type Shape, isStatic } from '../ir/shape.js';
import { type TensorData, tensor } from '../ir/tensor.js';

type Bound<F> = F extends (g: GraphBuilder, ...a: infer A) => infer R ? (...a: A) => R : never;
export type OpSurface = { [K in keyof typeof OPS]: Bound<(typeof OPS)[K]['call']> };
export type AttrsIn = Record<string, AttrValue | undefined>;

/** Gradient rule of a custom-gradient region: one gradient per region input (undefined = zero / not wanted). */
export type RegionGrad = (ctx: {
  g: GraphBuilder;
  inputs: Value[];
  outputs: Value[];
  dOut: (Value | undefined)[];
  wants: boolean[];
  /** The options `gradients` was called with (forced conv formulations), as an op's rule gets them. */
  options: GradOptions;
}) => (Value | undefined)[];

/** Nodes recorded by `withCustomGradient`: autodiff applies `grad` to the region instead of its nodes' rules. */
export interface Region {
  nodes: Set<Node>;
  inputs: Value[];
  outputs: Value[];
  grad: RegionGrad;
}

export interface EmitOptions {
  /** Number of outputs (defaults to the op's declared count). */
  outputs?: number;
  /** Base name for the node instead of the op type. */
  name?: string;
}

export class GraphBuilder {
  readonly nodes: Node[] = [];
  readonly inputs: Value[] = [];
  readonly outputs: Value[] = [];
  readonly initializers: Initializer[] = [];
  readonly op: OpSurface;
  private readonly scopes: string[] = [];
  private readonly taken = new Set<string>();
  private readonly nextSuffix = new Map<string, number>();
  private readonly constCache = new Map<string, Value>();
  private readonly values = new Map<string, Value>();
  /** Custom-gradient regions, and the region of each node inside one. */
  readonly regions: Region[] = [];
  readonly regionOf = new Map<Node, Region>();
  /** Which formulation computes each conv (ops/conv-plan.ts): a tuned plan, or undefined for the default rules. */
  convPlanner?: ConvPlanner;
  /** Forced conv formulations for everything built on this builder (gradients() options override them). */
  convOptions: ConvGradOptions = {};

  constructor(readonly name: string) {
    const surface: Record<string, unknown> = {};
    for (const [k, def] of Object.entries(OPS)) {
      const call = def.call as (g: GraphBuilder, ...a: unknown[]) => unknown;
      surface[k] = (...a: unknown[]) => call(this, ...a);
    }
    this.op = surface as OpSurface;
  }

  // ---- naming -------------------------------------------------------------------------------------------
  /** Run `fn` with `name` appended to the name prefix (`a.b.c`). */
  scope<T>(name: string | number, fn: () => T): T {
    this.scopes.push(String(name));
    try {
      return fn();
    } finally {
      this.scopes.pop();
    }
  }
  /** Run `fn` outside every name scope (parameters keep their state-dict names inside scoped blocks). */
  atRoot<T>(fn: () => T): T {
    const saved = this.scopes.splice(0, this.scopes.length);
    try {
      return fn();
    } finally {
      this.scopes.push(...saved);
    }
  }
  get prefix(): string {
    return this.scopes.join('.');
  }
  /** `name` qualified with the current scope. */
  qualify(name: string): string {
    return this.scopes.length ? `${this.prefix}.${name}` : name;
  }
  /** Reserve a unique name (appends _1, _2 ... on collision). */
  unique(base: string): string {
    let n = base;
    let i = this.nextSuffix.get(base) ?? 1;
    if (this.taken.has(n)) {
      while (this.taken.has(`${base}_${i}`)) i++;
      n = `${base}_${i}`;
      this.nextSuffix.set(base, i + 1);
    }
    this.taken.add(n);
    return n;
  }
  value(name: string): Value | undefined {
    return this.values.get(name);
  }

  private newValue(name: string, dtype: DType, shape: Shape): Value {
    const v = new Value(name, dtype, shape);
    this.values.set(name, v);
    return v;
  }

  // ---- graph interface ----------------------------------------------------------------------------------
  /** A graph input (fed at run time), named within the current scope. Dims may be symbolic strings. */
  input(name: string, dtype: DType, shape: Shape): Value {
    const q = this.qualify(name);
    if (this.taken.has(q)) throw new GraphError(`name '${q}' already used`, 'input', q);
    this.taken.add(q);
    const v = this.newValue(q, dtype, shape);
    this.inputs.push(v);
    return v;
  }

  /** A named initializer (weights baked into the model), named within the current scope. */
  initializer(name: string, data: TensorData): Value {
    const q = this.qualify(name);
    if (this.taken.has(q)) throw new GraphError(`name '${q}' already used`, 'initializer', q);
    this.taken.add(q);
    const v = this.newValue(q, data.dtype, [...data.dims]);
    v.constValue = data;
    this.initializers.push({ value: v, data });
    return v;
  }

  /** An anonymous constant (an initializer named `const.N`); small constants are shared. */
  constant(data: TensorData): Value {
    const n = data.data.length;
    const key = n <= 64 ? `${data.dtype}|${data.dims}|${Array.from(data.data as ArrayLike<unknown>).join(',')}` : undefined;
    const hit = key !== undefined ? this.constCache.get(key) : undefined;
    if (hit) return hit;
    const name = this.unique(`const.${this.initializers.length}`);
    const v = this.newValue(name, data.dtype, [...data.dims]);
    v.constValue = data;
    this.initializers.push({ value: v, data });
    if (key !== undefined) this.constCache.set(key, v);
    return v;
  }
  /** A constant made once per graph under `key` (larger constants that many nodes use: an identity, a permutation). */
  sharedConstant(key: string, make: () => TensorData): Value {
    const k = `shared|${key}`;
    let v = this.constCache.get(k);
    if (!v) {
      v = this.constant(make());
      this.constCache.set(k, v);
    }
    return v;
  }
  /** Rank-0 constant. */
  scalar(value: number, dtype: DType = 'float32'): Value {
    return this.constant(tensor(dtype, [], [value]));
  }
  /** Rank-0 constant with the dtype of `like`. */
  scalarLike(like: Value, value: number): Value {
    return this.scalar(value, like.dtype);
  }
  /** 1-D int64 constant (axes, shapes, pads, starts ...). */
  ints(values: number[]): Value {
    return this.constant(tensor('int64', [values.length], values));
  }
  /** Shape of `v` as an int64 vector: a constant when static, else a Shape node. */
  shapeOf(v: Value): Value {
    return isStatic(v.shape) ? this.ints(v.shape) : this.op.shape(v);
  }

  /** Mark `v` as a graph output, renaming it through an Identity when `name` differs. */
  output(v: Value, name?: string): Value {
    let out = v;
    if (name !== undefined && name !== v.name) {
      if (this.taken.has(name)) throw new GraphError(`output name '${name}' already used`, 'output', name);
      this.taken.add(name);
      const o = this.newValue(name, v.dtype, v.shape);
      const node = new Node('Identity', this.unique(`${name}.Identity`), [v], [o], {});
      o.producer = node;
      this.nodes.push(node);
      out = o;
    }
    if (this.outputs.includes(out)) throw new GraphError(`'${out.name}' is already an output`, 'output', out.name);
    this.outputs.push(out);
    return out;
  }

  /**
   * Record `build()` as a region whose gradient is `grad` (like jax.custom_vjp): autodiff differentiates the
   * region as one unit w.r.t. `inputs` and never looks at the recorded nodes, so a fused backward can replace
   * what the op-by-op rules would emit. Values made inside and used outside must be among the outputs.
   */
  withCustomGradient(inputs: Value[], build: () => Value[], grad: RegionGrad): Value[] {
    const start = this.nodes.length;
    const outputs = build();
    const region: Region = { nodes: new Set(this.nodes.slice(start)), inputs, outputs, grad };
    for (const n of region.nodes) this.regionOf.set(n, region);
    this.regions.push(region);
    return outputs;
  }

  // ---- recording ------------------------------------------------------------------------------------------
  /** Record one node of registry op `type` (qualified by domain outside ONNX's, ops/op-def.ts qualifiedType);
   *  returns its outputs with inferred dtype/shape. */
  emit(qualified: string, inputs: (Value | undefined)[], attrs: AttrsIn = {}, opts: EmitOptions = {}): Value[] {
    const def: OpDef | undefined = opByType(qualified);
    if (!def) throw new GraphError(`op type '${qualified}' is not in the registry`, qualified);
    const type = def.type;
    const nodeName = this.unique(this.qualify(opts.name ?? type));
    const typed: Record<string, Attr> = {};
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined) continue;
      const t = def.attrs[k];
      if (!t) throw new GraphError(`unknown attribute '${k}'`, type, nodeName);
      typed[k] = { type: t, value: Array.isArray(v) ? [...v] : v } as Attr;
    }
    while (inputs.length && inputs[inputs.length - 1] === undefined) inputs = inputs.slice(0, -1);
    for (const i of inputs)
      if (i && this.values.get(i.name) !== i)
        throw new GraphError(`input '${i.name}' does not belong to graph '${this.name}'`, type, nodeName);
    let infos;
    try {
      infos = def.infer({
        op: type,
        node: nodeName,
        inputs,
        attrs: typed,
        attr: ((n: string, d: unknown) => (typed[n] ? typed[n].value : d)) as InferContext['attr'],
        fresh: (i: number) => `${nodeName}.d${i}`,
      });
    } catch (e) {
      if (e instanceof GraphError) throw e;
      throw new GraphError(`shape inference failed: ${(e as Error).message}`, type, nodeName);
    }
    const nOut = opts.outputs ?? def.outputs ?? 1;
    const outs: Value[] = [];
    for (let i = 0; i < nOut; i++) {
      const info = infos[i];
      if (!info) throw new GraphError(`no inferred type for output ${i}`, type, nodeName);
      const vname = i === 0 ? nodeName : this.unique(`${nodeName}.${i}`);
      if (i === 0) this.taken.add(vname);
      outs.push(this.newValue(vname, info.dtype, info.shape));
    }
    const node = new Node(type, nodeName, inputs, outs, typed, def.domain ?? '');
    for (const o of outs) o.producer = node;
    this.nodes.push(node);
    return outs;
  }

  /** Snapshot as a Graph; with `prune` (default) drops nodes and initializers that no output depends on. */
  build(opts: { prune?: boolean } = {}): Graph {
    if (this.outputs.length === 0) throw new GraphError(`graph '${this.name}' has no outputs`);
    let nodes = this.nodes;
    let inits = this.initializers;
    if (opts.prune ?? true) {
      const needed = new Set<Value>(this.outputs);
      const keep: Node[] = [];
      for (let i = this.nodes.length - 1; i >= 0; i--) {
        const n = this.nodes[i];
        if (n.outputs.some((o) => needed.has(o))) {
          keep.push(n);
          for (const x of n.inputs) if (x) needed.add(x);
        }
      }
      nodes = keep.reverse();
      inits = this.initializers.filter((t) => needed.has(t.value));
    }
    return { name: this.name, inputs: [...this.inputs], initializers: [...inits], nodes: [...nodes], outputs: [...this.outputs] };
  }
}
