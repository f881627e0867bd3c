// Runs IR graphs with onnxruntime-node: build -> serialise -> InferenceSession.create(bytes, options); feeds and
// fetches by name as TensorData (typed arrays). Float64 works where ORT's CPU kernels have double variants
// (elementwise, MatMul, Gemm, reductions, MaxPool ...); Conv/ConvTranspose/AveragePool are float32 on CPU.
import * as ort from 'onnxruntime-node';
import type { DType, TypedArray } from '../ir/dtype.js';
import { GraphError } from '../ir/errors.js';
import type { Graph } from '../ir/graph.js';
import type { TensorData } from '../ir/tensor.js';
import { serializeModel } from '../onnx/model-proto.js';

export interface RunOptions {
  /** Execution providers in preference order (default ['cpu']). */
  executionProviders?: string[];
  intraOpNumThreads?: number;
  interOpNumThreads?: number;
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  enableCpuMemArena?: boolean;
  enableMemPattern?: boolean;
  /** Write ORT's JSON profile with this prefix. */
  profileFilePrefix?: string;
  logSeverityLevel?: 0 | 1 | 2 | 3 | 4;
  /** Session config entries (ORT's session_options_config_keys.h), e.g. `{ 'session.use_device_allocator_for_initializers': '1' }`. */
  configEntries?: Record<string, string>;
}

export type Feed = TensorData | ort.Tensor;

/** The onnxruntime version this process runs (onnxruntime-common's env.versions). */
export function ortVersion(): string {
  return ort.env.versions.common;
}

function toOrt(t: Feed): ort.Tensor {
  if (!('dtype' in t)) return t;
  const type = t.dtype === 'float16' ? 'float16' : t.dtype;
  return new ort.Tensor(type as ort.Tensor.Type, t.data as never, t.dims);
}

function fromOrt(t: ort.Tensor): TensorData {
  const dtype = (t.type === 'float16' ? 'float16' : t.type) as DType;
  return { dtype, dims: [...t.dims], data: t.data as TypedArray };
}

/** 'a.b.c': v -> { a: { b: { c: v } } }: onnxruntime-node flattens `extra` back into dotted config keys. */
function nestConfig(entries: Record<string, string>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entries)) {
    const parts = key.split('.');
    let o = root;
    for (const p of parts.slice(0, -1)) o = (o[p] ??= {}) as Record<string, unknown>;
    o[parts[parts.length - 1]] = value;
  }
  return root;
}

export class GraphSession {
  private constructor(
    readonly session: ort.InferenceSession,
    readonly name: string,
  ) {}

  /** Create a session from an IR graph (serialised here) or ready ONNX bytes. */
  static async create(model: Graph | Uint8Array, opts: RunOptions = {}): Promise<GraphSession> {
    const bytes = model instanceof Uint8Array ? model : serializeModel(model);
    const name = model instanceof Uint8Array ? 'model' : model.name;
    const so: ort.InferenceSession.SessionOptions = {
      executionProviders: (opts.executionProviders ?? ['cpu']) as ort.InferenceSession.ExecutionProviderConfig[],
      graphOptimizationLevel: opts.graphOptimizationLevel ?? 'all',
      logSeverityLevel: opts.logSeverityLevel ?? 3,
    };
    if (opts.intraOpNumThreads !== undefined) so.intraOpNumThreads = opts.intraOpNumThreads;
    if (opts.interOpNumThreads !== undefined) so.interOpNumThreads = opts.interOpNumThreads;
    if (opts.enableCpuMemArena !== undefined) so.enableCpuMemArena = opts.enableCpuMemArena;
    if (opts.enableMemPattern !== undefined) so.enableMemPattern = opts.enableMemPattern;
    if (opts.configEntries) so.extra = nestConfig(opts.configEntries);
    if (opts.profileFilePrefix) {
      so.enableProfiling = true;
      so.profileFilePrefix = opts.profileFilePrefix;
    }
    try {
      return new GraphSession(await ort.InferenceSession.create(bytes, so), name);
    } catch (e) {
      throw new GraphError(`onnxruntime could not load the graph: ${(e as Error).message}`, 'session', name);
    }
  }

  get inputNames(): readonly string[] {
    return this.session.inputNames;
  }
  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }

  /**
   * Run with feeds by input name; returns the requested outputs (default: all) as TensorData. `fetches` may be
   * names, or a record of pre-allocated TensorData that ORT writes into (no per-step allocation, e.g. for
   * parameters and optimiser state). A fed buffer may also be a fetch target of the same run only where nothing
   * reads the input after the output starts being written (graphs/in-place.ts decides this for train steps).
   */
  async run(feeds: Record<string, Feed>, fetches?: string[] | Record<string, TensorData>): Promise<Record<string, TensorData>> {
    const f: Record<string, ort.Tensor> = {};
    for (const [k, v] of Object.entries(feeds)) f[k] = toOrt(v);
    let res: ort.InferenceSession.ReturnType;
    try {
      if (!fetches) res = await this.session.run(f);
      else if (Array.isArray(fetches)) res = await this.session.run(f, fetches);
      else {
        const pre: Record<string, ort.Tensor> = {};
        for (const [k, v] of Object.entries(fetches)) pre[k] = toOrt(v);
        res = await this.session.run(f, pre);
      }
    } catch (e) {
      throw new GraphError(`run failed: ${(e as Error).message}`, 'session', this.name);
    }
    const out: Record<string, TensorData> = {};
    for (const [k, v] of Object.entries(res)) out[k] = fromOrt(v);
    return out;
  }

  /** Stop profiling (when enabled) and return the profile file path. */
  endProfiling(): string {
    return this.session.endProfiling() as unknown as string;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
