// Named parameters and buffers of a model as graph values. Models ask for a tensor by its state-dict key (MONAI's
// names, e.g. `layer1.0.conv1.weight`) plus a prefix (`online.encoder.`); the source decides whether it becomes a
// graph input (training: fed every step) or an initializer (inference: baked in). Every request is recorded as a
// ParamSpec so that initialisation, optimiser state and I/O names all derive from one walk of the model.
// New values of buffers (BN running statistics) computed by the graph are recorded in `updates`.
import type { GraphBuilder } from '../ops/builder.js';
import type { DType } from '../ir/dtype.js';
import { GraphError } from '../ir/errors.js';
import type { Value } from '../ir/graph.js';
import type { TensorData } from '../ir/tensor.js';

/** What a tensor is, which fixes its initialisation and its treatment by optimisers. */
export type ParamKind = 'conv-weight' | 'conv-bias' | 'linear-weight' | 'linear-bias' | 'norm-weight' | 'norm-bias' | 'running-mean' | 'running-var';

export interface ParamSpec {
  /** Full name, prefix included. */
  name: string;
  dims: number[];
  kind: ParamKind;
  /** Trained by the optimiser (false for running statistics). */
  trainable: boolean;
  /** Fan-in for Linear default init (PyTorch), when kind is linear-*. */
  fanIn?: number;
}

/** Biases and norm parameters (the 1-D trainables) are excluded from weight decay and LARS adaptation. */
export const isExcludedFromDecay = (s: ParamSpec): boolean => s.dims.length <= 1;

export class ParamSource {
  readonly specs: ParamSpec[] = [];
  readonly values = new Map<string, Value>();
  /** name of a buffer -> its new value computed by the graph (BN running statistics in training). */
  readonly updates = new Map<string, Value>();

  constructor(
    readonly g: GraphBuilder,
    readonly dtype: DType,
    readonly mode: 'input' | 'initializer',
    /** Values for initializer mode, by full name. */
    readonly data?: Record<string, TensorData>,
  ) {}

  /** Host values of a parameter (initializer mode), for folding at build time. */
  host(name: string): TensorData {
    const t = this.data?.[name];
    if (!t) throw new GraphError(`no value for parameter ${name}`, 'ParamSource', name);
    return t;
  }

  /** A derived constant (e.g. a BN-folded weight) registered under `name` in initializer mode. */
  derived(name: string, data: TensorData): Value {
    const v = rootInitializer(this.g, name, data.dtype === this.dtype ? data : castData(data, this.dtype));
    this.values.set(name, v);
    return v;
  }

  get(name: string, dims: number[], kind: ParamKind, fanIn?: number): Value {
    const hit = this.values.get(name);
    if (hit) return hit;
    const trainable = kind !== 'running-mean' && kind !== 'running-var';
    this.specs.push({ name, dims, kind, trainable, fanIn });
    let v: Value;
    if (this.mode === 'input') {
      v = rootInput(this.g, name, this.dtype, dims);
    } else {
      const t = this.data?.[name];
      if (!t) throw new GraphError(`no value for parameter ${name}`, 'ParamSource', name);
      if (t.dims.join(',') !== dims.join(',')) throw new GraphError(`parameter ${name} has shape [${t.dims}], model needs [${dims}]`, 'ParamSource', name);
      v = rootInitializer(this.g, name, t.dtype === this.dtype ? t : castData(t, this.dtype));
    }
    this.values.set(name, v);
    return v;
  }
}

/** A graph input named `name` regardless of the builder's current name scope (parameters keep their
 * state-dict names while the nodes that use them are scoped). */
export function rootInput(g: GraphBuilder, name: string, dtype: DType, dims: number[]): Value {
  return g.atRoot(() => g.input(name, dtype, dims));
}

/** The initializer counterpart of rootInput. */
export function rootInitializer(g: GraphBuilder, name: string, data: TensorData): Value {
  return g.atRoot(() => g.initializer(name, data));
}

function castData(t: TensorData, dtype: DType): TensorData {
  const data = dtype === 'float64' ? Float64Array.from(t.data as Float32Array) : Float32Array.from(t.data as Float64Array);
  return { dtype, dims: [...t.dims], data };
}

/** What model-building functions receive. */
export interface ModelContext {
  g: GraphBuilder;
  p: ParamSource;
  /** Training mode: BN uses batch statistics and outputs new running statistics. */
  training: boolean;
  bnEps: number;
  bnMomentum: number;
  /** Training BN variance: E[x^2] - E[x]^2 (one pass, default) or E[(x - E[x])^2] (two passes). */
  bnVariance?: 'one-pass' | 'two-pass';
  /** Training BN: the batch is this many equal views (view-major), each normalised by its own statistics and
   * updating the running statistics in turn, as that many separate PyTorch forwards (models/norms.ts). Default 1:
   * statistics over the whole batch. */
  bnViews?: number;
  /** Inference only (initializer mode): fold BatchNorm into the preceding convolution on the host. */
  foldBn?: boolean;
}
