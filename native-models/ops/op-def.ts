// The shape of one registry entry: an ONNX op's attribute types, its shape/dtype inference, its gradient rule
// and the typed builder call that emits it. Every op file exports one (or a small family of) `OpDef`s.
import type { DType } from '../ir/dtype.js';
import type { Attr, AttrType, Node, Value } from '../ir/graph.js';
import type { Shape } from '../ir/shape.js';
import type { GraphBuilder } from './builder.js';
import type { ConvForward, ConvInputGradForm, ConvWeightGradForm } from './conv-plan.js';

export interface ValueInfo {
  dtype: DType;
  shape: Shape;
}

export interface InferContext {
  op: string;
  node: string;
  /** Inputs (undefined where an optional input is omitted); constants carry `constValue`. */
  inputs: (Value | undefined)[];
  attrs: Record<string, Attr>;
  attr(name: string, dflt: number): number;
  attr(name: string, dflt: string): string;
  attr<T>(name: string, dflt: T): T;
  /** A fresh symbolic dim unique to this node, for sizes that cannot be computed statically. */
  fresh(i: number): string;
}

/** Options the autodiff pass hands to gradient rules (e.g. which conv-gradient formulation to emit). */
export interface GradOptions {
  conv?: ConvGradOptions;
}

export type ConvInputGrad = ConvInputGradForm | 'auto';
export type ConvWeightGrad = ConvWeightGradForm | 'auto';
/** Forced conv formulations (ops/conv-plan.ts); 'auto' (or absent) asks the builder's ConvPlanner, then the default
 *  rules. Set on the builder (`g.convOptions`) for the forward convs, passed to `gradients` for the backward. */
export interface ConvGradOptions {
  /** Forward: ORT's Conv, one batched Gemm or a per-sample MatMul of the im2col (ops/conv-batched-gemm.ts), NCHWc
   *  depth taps (ops/conv-nchwc.ts) or depth taps as channels (ops/conv-depth2d.ts). */
  forward?: ConvForward | 'auto';
  /** Input gradient: Conv with flipped/transposed weights (stride 1; zero-inserted dY for stride>1), ConvTranspose,
   *  the sub-pixel phase decomposition (strided convs; ops/conv-subpixel.ts), or the flipped conv on NCHWc kernels. */
  input?: ConvInputGrad;
  /** Weight gradient: im2col by Slice/Concat + Gemm; im2col by one identity-kernel Conv + MatMul; Conv with N and C swapped. */
  weight?: ConvWeightGrad;
  /** im2col-conv only: process the batch in chunks of this many samples to bound the im2col buffer's memory. */
  weightChunk?: number;
}

export interface GradContext {
  g: GraphBuilder;
  node: Node;
  inputs: (Value | undefined)[];
  outputs: Value[];
  /** Gradient of the scalar w.r.t. each output; undefined means zero. */
  dOut: (Value | undefined)[];
  /** Which inputs need a gradient (others may be returned as undefined). */
  wants: boolean[];
  options: GradOptions;
}

/** Returns one gradient per input (undefined only for inputs not wanted or not differentiable). */
export type Grads = (Value | undefined)[];
export type GradRule = (ctx: GradContext) => Grads;

interface OpDefBase<C extends (g: GraphBuilder, ...args: never[]) => unknown> {
  /** ONNX op_type (in `domain`; the default domain at opset 17). */
  type: string;
  /** Operator set domain: '' (ONNX, default) or a contrib domain such as 'com.microsoft.nchwc'. */
  domain?: string;
  attrs: Record<string, AttrType>;
  /** Number of outputs the op emits by default. */
  outputs?: number;
  infer(ctx: InferContext): ValueInfo[];
  /** The typed builder call exposed as `g.op.<name>`. */
  call: C;
}

/** A differentiable op: its rule returns one gradient per input (undefined only where `wants` is false or the input
 *  is in `nonDiffInputs`), each with its input's dtype and static shape; autodiff checks this where it accumulates. */
export interface Differentiable {
  grad: GradRule;
  /** Inputs through which no gradient flows (shape, axes, index and condition inputs). */
  nonDiffInputs?: number[];
  zeroGradient?: never;
  nonDifferentiable?: never;
}

/** Piecewise constant (Floor, Ceil, Sign): the derivative is 0 almost everywhere, so autodiff treats the outputs as
 *  constants. The string says why. */
export interface ZeroGradient {
  zeroGradient: string;
  grad?: never;
  nonDiffInputs?: never;
  nonDifferentiable?: never;
}

/** No gradient exists (bool or integer outputs, no inputs, outputs defined by a shape). The string says why; autodiff
 *  refuses a graph where such an op lies on a float path from a differentiated value to the loss. */
export interface NonDifferentiable {
  nonDifferentiable: string;
  grad?: never;
  nonDiffInputs?: never;
  zeroGradient?: never;
}

/** One registry entry: attribute types, shape inference, the typed call, and its differentiability (exactly one of
 *  `grad`, `zeroGradient`, `nonDifferentiable`). */
export type OpDef<C extends (g: GraphBuilder, ...args: never[]) => unknown = (g: GraphBuilder, ...args: never[]) => unknown> =
  OpDefBase<C> & (Differentiable | ZeroGradient | NonDifferentiable);

/** Registry key of an op: its type, prefixed by its domain outside the default one ('com.microsoft.nchwc.Conv'). */
export const qualifiedType = (type: string, domain = ''): string => (domain ? `${domain}.${type}` : type);

export function defineOp<C extends (g: GraphBuilder, ...args: never[]) => unknown>(def: OpDef<C>): OpDef<C> {
  return def;
}
