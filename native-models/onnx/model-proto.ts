// ONNX serialisation: Graph <-> ModelProto bytes (ir_version 8, opset 17), the ONLY module that touches
// protobuf. The schema is the vendored resources/onnx/onnx.proto (from Debian's python3-onnx 1.12, see
// resources/onnx/README.md), parsed at first use with protobufjs (keepCase, so fields keep ONNX's snake_case).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { type DType, ONNX_DTYPE, dtypeFromOnnx, typedArrayFor } from '../ir/dtype.js';
import { GraphError } from '../ir/errors.js';
import { type Attr, type AttrType, type Graph, type Initializer, Node, Value } from '../ir/graph.js';
import type { Dim } from '../ir/shape.js';
import type { TensorData } from '../ir/tensor.js';

export const IR_VERSION = 8;
export const OPSET = 17;

const ATTR_CODE: Record<AttrType, number> = { float: 1, int: 2, string: 3, tensor: 4, floats: 6, ints: 7, strings: 8 };

let modelType: protobuf.Type | undefined;

/** Locate resources/onnx/onnx.proto walking up from this file (works from sources and from dist/). */
function protoPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const p = join(dir, 'resources', 'onnx', 'onnx.proto');
    if (existsSync(p)) return p;
    dir = dirname(dir);
  }
  throw new GraphError('resources/onnx/onnx.proto not found');
}

function ModelProto(): protobuf.Type {
  if (!modelType) {
    const root = protobuf.parse(readFileSync(protoPath(), 'utf8'), { keepCase: true }).root;
    modelType = root.lookupType('onnx.ModelProto');
  }
  return modelType;
}

// ---- encode ---------------------------------------------------------------------------------------------
function tensorProto(name: string, t: TensorData) {
  const d = t.data;
  const raw = new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
  return { name, dims: t.dims, data_type: ONNX_DTYPE[t.dtype], raw_data: raw };
}

function valueInfo(v: Value) {
  return {
    name: v.name,
    type: {
      tensor_type: {
        elem_type: ONNX_DTYPE[v.dtype],
        shape: { dim: v.shape.map((d: Dim) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) },
      },
    },
  };
}

function attrProto(name: string, a: Attr) {
  const out: Record<string, unknown> = { name, type: ATTR_CODE[a.type] };
  switch (a.type) {
    case 'int': out.i = a.value; break;
    case 'float': out.f = a.value; break;
    case 'string': out.s = new TextEncoder().encode(a.value as string); break;
    case 'ints': out.ints = a.value; break;
    case 'floats': out.floats = a.value; break;
    case 'strings': out.strings = (a.value as string[]).map((s) => new TextEncoder().encode(s)); break;
    case 'tensor': out.t = tensorProto('', a.value as TensorData); break;
  }
  return out;
}

export interface SerializeOptions {
  producer?: string;
  docString?: string;
  /** Initializers stay as graph initializers (default), or are omitted (weights fed as inputs instead). */
  omitInitializers?: boolean;
  /** ModelProto.metadata_props: free key/value strings (e.g. what input an exported encoder expects). */
  metadata?: Record<string, string>;
}

/** Contrib operator sets the engine emits (ops/nchwc.ts), by domain, and their version. */
const CONTRIB_OPSETS: Record<string, number> = { 'com.microsoft.nchwc': 1 };

/** ONNX's opset, plus each contrib domain the graph's nodes use. */
function opsetImports(graph: Graph): { domain: string; version: number }[] {
  const domains = new Set(graph.nodes.map((n) => n.domain).filter((d) => d));
  return [{ domain: '', version: OPSET }, ...[...domains].map((domain) => {
    const version = CONTRIB_OPSETS[domain];
    if (!version) throw new GraphError(`no opset version known for domain '${domain}'`, 'serialize', graph.name);
    return { domain, version };
  })];
}

/** Serialise a graph to ONNX ModelProto bytes. */
export function serializeModel(graph: Graph, opts: SerializeOptions = {}): Uint8Array {
  const msg = {
    ir_version: IR_VERSION,
    producer_name: opts.producer ?? 'voxelbase',
    producer_version: '0.1.0',
    doc_string: opts.docString,
    opset_import: opsetImports(graph),
    metadata_props: Object.entries(opts.metadata ?? {}).map(([key, value]) => ({ key, value })),
    graph: {
      name: graph.name,
      node: graph.nodes.map((n) => ({
        op_type: n.opType,
        name: n.name,
        domain: n.domain,
        input: n.inputs.map((v) => v?.name ?? ''),
        output: n.outputs.map((v) => v.name),
        attribute: Object.entries(n.attrs).map(([k, a]) => attrProto(k, a)),
      })),
      initializer: opts.omitInitializers ? [] : graph.initializers.map((i) => tensorProto(i.value.name, i.data)),
      input: graph.inputs.map(valueInfo),
      output: graph.outputs.map(valueInfo),
    },
  };
  const T = ModelProto();
  const err = T.verify(msg);
  if (err) throw new GraphError(`ModelProto does not verify: ${err}`, 'serialize', graph.name);
  return T.encode(T.fromObject(msg)).finish();
}

// ---- decode ---------------------------------------------------------------------------------------------
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function readTensor(t: Obj): TensorData {
  const dtype: DType = dtypeFromOnnx(t.data_type);
  const dims = (t.dims ?? []).map(Number);
  const n = dims.reduce((a: number, b: number) => a * b, 1);
  const data = typedArrayFor(dtype, n);
  if (t.raw_data && t.raw_data.length) {
    new Uint8Array(data.buffer).set(t.raw_data);
  } else {
    const src: unknown[] = t.float_data?.length ? t.float_data : t.double_data?.length ? t.double_data : t.int64_data?.length ? t.int64_data : (t.int32_data ?? []);
    for (let i = 0; i < n; i++) (data as unknown as unknown[])[i] = data instanceof BigInt64Array ? BigInt(src[i] as number) : Number(src[i]);
  }
  return { dtype, dims, data };
}

function readValue(v: Obj): Value {
  const tt = v.type?.tensor_type;
  const dims: Dim[] = (tt?.shape?.dim ?? []).map((d: Obj) => (d.dim_param ? d.dim_param : Number(d.dim_value ?? 0)));
  return new Value(v.name, dtypeFromOnnx(tt?.elem_type ?? 1), dims);
}

const CODE_ATTR = Object.fromEntries(Object.entries(ATTR_CODE).map(([k, v]) => [v, k])) as Record<number, AttrType>;

function readAttr(a: Obj): Attr {
  const type = CODE_ATTR[a.type];
  const dec = (b: Uint8Array) => new TextDecoder().decode(b);
  switch (type) {
    case 'int': return { type, value: Number(a.i ?? 0) };
    case 'float': return { type, value: a.f ?? 0 };
    case 'string': return { type, value: dec(a.s) };
    case 'ints': return { type, value: (a.ints ?? []).map(Number) };
    case 'floats': return { type, value: a.floats ?? [] };
    case 'strings': return { type, value: (a.strings ?? []).map(dec) };
    case 'tensor': return { type, value: readTensor(a.t) };
    default: throw new GraphError(`unsupported attribute type ${a.type} (${a.name})`);
  }
}

export interface LoadedModel {
  graph: Graph;
  irVersion: number;
  opset: number;
  producer: string;
  docString: string;
  /** ModelProto.metadata_props as a record. */
  metadata: Record<string, string>;
}

/** Parse ONNX ModelProto bytes back into the IR (values get dtype/shape where declared, else float32/[]). */
export function loadModel(bytes: Uint8Array): LoadedModel {
  const T = ModelProto();
  const m = T.toObject(T.decode(bytes), { longs: Number, bytes: Uint8Array, defaults: false }) as Obj;
  const g = m.graph as Obj;
  const values = new Map<string, Value>();
  const inputs = (g.input ?? []).map(readValue);
  for (const v of inputs) values.set(v.name, v);
  const initializers: Initializer[] = (g.initializer ?? []).map((t: Obj) => {
    const data = readTensor(t);
    const v = values.get(t.name) ?? new Value(t.name, data.dtype, data.dims);
    v.constValue = data;
    values.set(t.name, v);
    return { value: v, data };
  });
  const declared = new Map<string, Value>();
  for (const v of [...(g.output ?? []), ...(g.value_info ?? [])].map(readValue)) declared.set(v.name, v);
  const nodes = (g.node ?? []).map((n: Obj) => {
    const ins = (n.input ?? []).map((name: string) => (name === '' ? undefined : values.get(name) ?? new Value(name, 'float32', [])));
    const outs = (n.output ?? []).map((name: string) => {
      const v = declared.get(name) ?? new Value(name, 'float32', []);
      values.set(name, v);
      return v;
    });
    const attrs = Object.fromEntries((n.attribute ?? []).map((a: Obj) => [a.name, readAttr(a)]));
    const node = new Node(n.op_type, n.name ?? '', ins, outs, attrs, n.domain ?? '');
    for (const o of outs) o.producer = node;
    return node;
  });
  const outputs = (g.output ?? []).map((o: Obj) => values.get(o.name) ?? readValue(o));
  const opset = (m.opset_import ?? []).find((o: Obj) => !o.domain)?.version ?? 0;
  return {
    graph: { name: g.name ?? '', inputs: inputs.filter((v: Value) => !initializers.some((i) => i.value === v)), initializers, nodes, outputs },
    irVersion: Number(m.ir_version),
    opset: Number(opset),
    producer: m.producer_name ?? '',
    docString: m.doc_string ?? '',
    metadata: Object.fromEntries((m.metadata_props ?? []).map((p: Obj) => [p.key ?? '', p.value ?? ''])),
  };
}
