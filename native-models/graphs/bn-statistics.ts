// Re-estimation of an encoder's BatchNorm running statistics on data, as torch.optim.swa_utils.update_bn does:
// reset the running statistics, forward every batch in training mode (each BN normalises by its batch's statistics,
// as model.train() does, so deeper layers see what training-mode forwards produce), and accumulate with PyTorch's
// momentum=None rule (torch/nn/modules/batchnorm.py: exponential_average_factor = 1 / num_batches_tracked):
//     r_k = r_{k-1} + (s_k - r_{k-1}) / k,  k = 1..K,
// i.e. after K batches the plain average of s_1..s_K, with s_k the batch mean, or the UNBIASED batch variance
// (n / (n - 1), n = values per channel), per channel. num_batches_tracked becomes K; every other tensor is returned
// unchanged. DESIGN §6's fair baseline is a randomly initialised encoder re-estimated this way on the same data.
// Each batch runs one forward graph (weights baked in, BN in training form with momentum 1, so that the `new`
// running statistics it outputs are the batch's own); the average is kept on the host in float64.
import { GraphError } from '../ir/errors.js';
import type { DType } from '../ir/dtype.js';
import type { Graph } from '../ir/graph.js';
import type { TensorData } from '../ir/tensor.js';
import { GraphBuilder } from '../ops/builder.js';
import { ParamSource } from '../models/params.js';
import { dropUnusedOutputs } from '../passes/unused-outputs.js';
import { type ResNetConfig, resnet3d } from '../models/resnet3d.js';
import { GraphSession, type RunOptions } from '../runtime/session.js';

export interface BnReestimateOptions extends RunOptions {
  /** Key prefix of the encoder's tensors in `params` (e.g. 'online.encoder.'; default '' for a MONAI state dict). */
  prefix?: string;
  /** Compute dtype (default float32). */
  dtype?: DType;
  bnEps?: number;
  /** Checked between batches. */
  signal?: AbortSignal;
  /** Called after each batch with the number of batches done. */
  onBatch?: (done: number) => void;
}

const STAT = 'stat.';

/** Forward graph of `cfg` on a batch of `dims` whose outputs `stat.<key>` are each BN layer's batch statistics. */
export function buildBnStatisticsGraph(cfg: ResNetConfig, params: Record<string, TensorData>, dims: number[], opts: BnReestimateOptions = {}): { graph: Graph; keys: string[] } {
  const dtype = opts.dtype ?? 'float32';
  const g = new GraphBuilder('bn_statistics');
  const p = new ParamSource(g, dtype, 'initializer', params);
  const x = g.input('image', dtype, dims);
  // momentum 1: the running statistics the training BN outputs are exactly this batch's (models/norms.ts)
  resnet3d({ g, p, training: true, bnEps: opts.bnEps ?? 1e-5, bnMomentum: 1 }, x, cfg, opts.prefix ?? '');
  const keys = [...p.updates.keys()];
  for (const k of keys) g.output(p.updates.get(k)!, STAT + k);
  const graph = g.build();
  dropUnusedOutputs(graph); // MaxPool Indices: no gradient here
  return { graph, keys };
}

/**
 * New tensors for `params` with the BN running statistics of the encoder under `opts.prefix` re-estimated on
 * `batches` ([N, inChannels, D, H, W] each; N * D * H * W > 1 for every layer, as PyTorch requires in training).
 * Encoders without BatchNorm (norm 'group') have nothing to re-estimate: `params` come back as they are.
 */
export async function reestimateBnStatistics(
  cfg: ResNetConfig,
  params: Record<string, TensorData>,
  batches: Iterable<TensorData> | AsyncIterable<TensorData>,
  opts: BnReestimateOptions = {},
): Promise<Record<string, TensorData>> {
  if (cfg.norm.kind !== 'batch') return { ...params };
  const dtype = opts.dtype ?? 'float32';
  const prefix = opts.prefix ?? '';
  const sessions = new Map<string, { session: GraphSession; keys: string[] }>();
  const acc = new Map<string, Float64Array>();
  let k = 0;
  try {
    for await (const batch of batches) {
      opts.signal?.throwIfAborted();
      if (batch.dims.length !== 5 || batch.dims[1] !== cfg.inChannels)
        throw new GraphError(`batch ${k + 1} has shape [${batch.dims}], the encoder needs [N, ${cfg.inChannels}, D, H, W]`, 'reestimateBnStatistics');
      const key = batch.dims.join('x');
      let s = sessions.get(key);
      if (!s) {
        const { graph, keys } = buildBnStatisticsGraph(cfg, params, batch.dims, opts);
        s = { session: await GraphSession.create(graph, opts), keys };
        sessions.set(key, s);
      }
      const data = batch.dtype === dtype ? batch : { dtype, dims: batch.dims, data: dtype === 'float64' ? Float64Array.from(batch.data as Float32Array) : Float32Array.from(batch.data as Float64Array) };
      const out = await s.session.run({ image: data });
      k++;
      for (const name of s.keys) {
        const v = out[STAT + name].data as Float32Array;
        let a = acc.get(name);
        if (!a) acc.set(name, (a = new Float64Array(v.length)));
        for (let i = 0; i < v.length; i++) a[i] += (v[i] - a[i]) / k;
      }
      opts.onBatch?.(k);
    }
  } finally {
    for (const s of sessions.values()) await s.session.release();
  }
  if (k === 0) throw new GraphError(`no batches to estimate the BN statistics of '${prefix}' from`, 'reestimateBnStatistics');
  const next: Record<string, TensorData> = { ...params };
  for (const [name, a] of acc) {
    const old = params[name];
    const outType = old?.dtype === 'float64' ? 'float64' : 'float32';
    next[name] = { dtype: outType, dims: old ? [...old.dims] : [a.length], data: outType === 'float64' ? Float64Array.from(a) : Float32Array.from(a) };
    if (name.endsWith('.running_mean'))
      next[name.replace(/running_mean$/, 'num_batches_tracked')] = { dtype: 'int64', dims: [], data: BigInt64Array.from([BigInt(k)]) };
  }
  return next;
}
