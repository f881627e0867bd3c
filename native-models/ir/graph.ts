// The graph IR: values (SSA names with dtype and shape), nodes (an ONNX op with typed attributes) and the graph
// (inputs, initializers, nodes in topological order, outputs). Modelled on onnx-ir's Value/Node/Graph.
import type { DType } from './dtype.js';
import type { Shape } from './shape.js';
import type { TensorData } from './tensor.js';

export type AttrType = 'int' | 'ints' | 'float' | 'floats' | 'string' | 'strings' | 'tensor';
export type AttrValue = number | number[] | string | string[] | TensorData;
export interface Attr {
  type: AttrType;
  value: AttrValue;
}

export class Value {
  /** Node that produces this value; undefined for graph inputs and initializers. */
  producer?: Node;
  /** Known constant contents (initializers made by `constant()`), used by shape inference (e.g. Reshape). */
  constValue?: TensorData;
  constructor(
    readonly name: string,
    readonly dtype: DType,
    readonly shape: Shape,
  ) {}
  get rank(): number {
    return this.shape.length;
  }
  toString(): string {
    return `${this.name}:${this.dtype}[${this.shape.join(',')}]`;
  }
}

export class Node {
  constructor(
    readonly opType: string,
    readonly name: string,
    /** Inputs in ONNX order; undefined marks an omitted optional input (serialised as ''). */
    readonly inputs: (Value | undefined)[],
    readonly outputs: Value[],
    readonly attrs: Record<string, Attr>,
    readonly domain = '',
  ) {}
  /** Attribute value or the default. */
  attr(name: string, dflt: number): number;
  attr(name: string, dflt: string): string;
  attr<T extends AttrValue>(name: string, dflt: T): T;
  attr<T extends AttrValue>(name: string): T | undefined;
  attr<T extends AttrValue>(name: string, dflt?: T): T | undefined {
    const a = this.attrs[name];
    return a ? (a.value as T) : dflt;
  }
}

export interface Initializer {
  value: Value;
  data: TensorData;
}

export interface Graph {
  name: string;
  inputs: Value[];
  initializers: Initializer[];
  nodes: Node[];
  outputs: Value[];
}
