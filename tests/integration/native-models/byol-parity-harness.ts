// Shared by the BYOL parity tests: builds one training step (graphs/train-step.ts), feeds it seeded parameters,
// views, optimiser state and hyper-parameters, runs it in onnxruntime-node, runs the PyTorch float64 reference
// (reference/byol_reference.py) on the same inputs, and returns per-tensor relative errors
// ||ours - ref|| / max(||ref||, eps).
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Philox } from '../../../native-models/init/philox.js';
import { initParams } from '../../../native-models/init/init-params.js';
import { readSafetensors, writeSafetensors, type NamedTensor } from '../../../native-models/io/safetensors.js';
import { buildTrainStep, type TrainStepConfig } from '../../../native-models/graphs/train-step.js';
import { GraphSession } from '../../../native-models/runtime/session.js';
import type { TensorData } from '../../../native-models/ir/tensor.js';
import type { OptimizerConfig } from '../../../native-models/optim/from-config.js';
import type { ConvGradOptions } from '../../../native-models/ops/op-def.js';

const here = dirname(fileURLToPath(import.meta.url));
export const REFERENCE = join(here, 'reference', 'byol_reference.py');
export const TMP = join(here, '..', '..', '.tmp', 'byol-parity');

export interface ParityResult {
  loss: { ours: number; ref: number; rel: number };
  /** tensor name (prefixed `<optimiser>:` for every optimiser after the first) -> relative error */
  errors: Map<string, number>;
  /** gradients whose reference norm is below eps: analytically zero (a bias feeding a training-mode BN) */
  structurallyZero: string[];
  /** global reference gradient norm, and ||ours|| of each structurally-zero gradient */
  gradNorm: number;
  zeroGradNorms: Map<string, number>;
  timings: { buildMs: number; ortMs: number; refMs: number };
}

function randn(rng: Philox, n: number, scale: number): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.normal() * scale;
  return a;
}

export const norm2 = (b: ArrayLike<number>): number => {
  let n = 0;
  for (let i = 0; i < b.length; i++) n += Number(b[i]) * Number(b[i]);
  return Math.sqrt(n);
};

/** ||a - b|| / max(||b||, eps). */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>, eps = 1e-30): number {
  let d = 0;
  for (let i = 0; i < b.length; i++) {
    const e = Number(a[i]) - Number(b[i]);
    d += e * e;
  }
  return Math.sqrt(d) / Math.max(norm2(b), eps);
}

const toF64 = (t: TensorData): NamedTensor => ({ dtype: 'float64', dims: t.dims, data: Float64Array.from(t.data as Float64Array) });

/** Reference config JSON in byol_reference.py's vocabulary. */
function referenceConfig(cfg: TrainStepConfig, optimizers: OptimizerConfig[]): string {
  const e = cfg.encoder;
  return JSON.stringify({
    block: e.block, layers: e.layers, widths: e.widths, in_channels: e.inChannels, conv1_kernel: e.conv1Kernel,
    conv1_stride: e.conv1Stride, no_max_pool: e.noMaxPool, shortcut: e.shortcut, bias_downsample: e.biasDownsample,
    norm: e.norm.kind, groups: e.norm.groups ?? 32, ws_eps: e.norm.wsEps ?? 1e-5,
    bn_statistics: cfg.bnStatistics ?? 'per-view',
    proj_hidden: cfg.heads.projHidden, proj_out: cfg.heads.projOut, pred_hidden: cfg.heads.predHidden,
    optimizer: optimizers,
  });
}

/**
 * One step per optimiser (the first with `cfg.optimizer`, then `extra`), all from the same inputs; the reference
 * runs its forward/backward once and applies each optimiser to a copy.
 */
/** A step built with forced conv formulations (ops/conv-plan.ts), checked against the same reference. */
export interface ConvVariant {
  label: string;
  conv: ConvGradOptions;
}

export async function runParity(cfg: TrainStepConfig, tag: string, extra: OptimizerConfig[] = [], seed = 7, variants: ConvVariant[] = []): Promise<ParityResult> {
  mkdirSync(TMP, { recursive: true });
  const dtype = cfg.dtype ?? 'float32';
  const optimizers = [cfg.optimizer, ...extra];
  const t0 = performance.now();
  const steps = [
    ...optimizers.map((o) => buildTrainStep({ ...cfg, optimizer: o, emitGrads: true })),
    ...variants.map((v) => buildTrainStep({ ...cfg, conv: { ...cfg.conv, ...v.conv }, emitGrads: true })),
  ];
  const step = steps[0];
  const buildMs = performance.now() - t0;
  // inputs, generated in float64 then rounded to the graph dtype so both sides start from identical values
  const params = initParams(step.specs, seed, 'float64');
  const rng = new Philox(seed, 99);
  const inputs: Record<string, TensorData> = { ...params };
  // perturb the running statistics and the target so that those paths are exercised
  for (const s of step.specs) {
    const t = inputs[s.name];
    const d = t.data as Float64Array;
    if (s.kind === 'running-mean') for (let i = 0; i < d.length; i++) d[i] = 0.1 * rng.normal();
    if (s.kind === 'running-var') for (let i = 0; i < d.length; i++) d[i] = 1 + 0.2 * rng.uniform();
    if (s.kind === 'norm-weight') for (let i = 0; i < d.length; i++) d[i] = 1 + 0.1 * rng.normal();
    if (s.kind === 'norm-bias') for (let i = 0; i < d.length; i++) d[i] = 0.1 * rng.normal();
    if (s.name.startsWith('target.') && s.trainable) for (let i = 0; i < d.length; i++) d[i] += 0.01 * rng.normal() * (Math.abs(d[i]) + 0.01);
  }
  const n = cfg.batch * cfg.inputShape.reduce((a, b) => a * b, 1);
  inputs.view1 = { dtype: 'float64', dims: [cfg.batch, ...cfg.inputShape], data: randn(rng, n, 1) };
  inputs.view2 = { dtype: 'float64', dims: [cfg.batch, ...cfg.inputShape], data: randn(rng, n, 1) };
  for (const s of steps.flatMap((st) => st.stateSpecs)) {
    if (inputs[s.name]) continue;
    const m = s.dims.reduce((a, b) => a * b, 1);
    const d = randn(rng, m, 1e-3);
    if (s.name.endsWith('.exp_avg_sq')) for (let i = 0; i < m; i++) d[i] = d[i] * d[i];
    inputs[s.name] = { dtype: 'float64', dims: s.dims, data: d };
  }
  const hp: Record<string, number> = { 'hp.lr': 0.05, 'hp.weight_decay': 1e-3, 'hp.tau': 0.99, 'hp.step': 3 };
  for (const [k, v] of Object.entries(hp)) inputs[k] = { dtype: 'float64', dims: [], data: Float64Array.from([v]) };
  // round to the graph dtype
  if (dtype === 'float32') for (const [k, t] of Object.entries(inputs)) inputs[k] = { ...t, data: Float64Array.from(Float32Array.from(t.data as Float64Array)) };

  // reference input file: every state-dict entry (num_batches_tracked included) in float64
  const ref: Record<string, NamedTensor> = {};
  for (const [k, t] of Object.entries(inputs)) ref[k] = toF64(t);
  for (const s of step.specs) {
    if (s.kind === 'running-mean') ref[s.name.replace(/running_mean$/, 'num_batches_tracked')] = { dtype: 'int64', dims: [], data: BigInt64Array.from([5n]) };
  }
  const inFile = join(TMP, `${tag}-in.safetensors`);
  const outFile = join(TMP, `${tag}-out.safetensors`);
  await writeSafetensors(inFile, ref, { config: referenceConfig(cfg, optimizers) });
  const t1 = performance.now();
  const refRun = promisify(execFile)('/usr/bin/python3', [REFERENCE, 'step', inFile, outFile], { maxBuffer: 1 << 24 });

  // ours
  const results: Record<string, TensorData>[] = [];
  let ortMs = 0;
  for (const st of steps) {
    const session = await GraphSession.create(st.graph, { intraOpNumThreads: 2 });
    const feeds: Record<string, TensorData> = {};
    for (const name of session.inputNames) {
      const t = inputs[name];
      if (!t) throw new Error(`parity harness: no feed for ${name}`);
      feeds[name] = dtype === 'float64' ? t : { dtype: 'float32', dims: t.dims, data: Float32Array.from(t.data as Float64Array) };
    }
    const t2 = performance.now();
    results.push(await session.run(feeds));
    ortMs += performance.now() - t2;
    await session.release();
  }
  await refRun;
  const refMs = performance.now() - t1;
  const expected = (await readSafetensors(outFile)).tensors;
  rmSync(inFile, { force: true });
  rmSync(outFile, { force: true });

  // eps for gradients: 1e-8 of the global reference gradient norm, so that analytically-zero gradients (rounding
  // noise on both sides) are not divided by their own noise
  let g2 = 0;
  for (const [k, t] of Object.entries(expected)) if (k.startsWith('grad.')) g2 += norm2(t.data as Float64Array) ** 2;
  const gradEps = 1e-8 * Math.sqrt(g2);
  const errors = new Map<string, number>();
  const structurallyZero: string[] = [];
  const zeroGradNorms = new Map<string, number>();
  results.forEach((ours, i) => {
    // the reference names an extra optimiser's outputs `<type>:`; a conv variant is the first optimiser's step
    const variant = i >= optimizers.length ? variants[i - optimizers.length] : undefined;
    const pre = variant || i === 0 ? '' : `${optimizers[i].type}:`;
    const key = variant ? `${variant.label}:` : pre;
    for (const [name, t] of Object.entries(ours)) {
      if (name === 'loss') {
        if (variant) errors.set(`${key}loss`, Math.abs(Number(t.data[0]) - Number(expected.loss.data[0])) / Math.abs(Number(expected.loss.data[0])));
        continue;
      }
      if (i > 0 && !variant && (name.startsWith('grad.') || name === 'collapse_std')) continue;
      const e = expected[name.startsWith('grad.') ? name : pre + name];
      if (!e) throw new Error(`parity harness: reference has no ${pre + name}`);
      const isGrad = name.startsWith('grad.');
      if (isGrad && norm2(e.data as Float64Array) < gradEps) {
        structurallyZero.push(key + name);
        zeroGradNorms.set(key + name, norm2(t.data as Float64Array));
      }
      errors.set(key + name, relErr(t.data as Float64Array, e.data as Float64Array, isGrad ? gradEps : 1e-30));
    }
  });
  const lo = Number(results[0].loss.data[0]);
  const lr = Number(expected.loss.data[0]);
  return { loss: { ours: lo, ref: lr, rel: Math.abs(lo - lr) / Math.abs(lr) }, errors, structurallyZero, gradNorm: Math.sqrt(g2), zeroGradNorms, timings: { buildMs, ortMs, refMs } };
}

/** Largest relative error per tensor group (grad / new param / new running stat / new state; online / target). */
export function summarise(errors: Map<string, number>): Record<string, { max: number; worst: string; count: number }> {
  const groups: Record<string, { max: number; worst: string; count: number }> = {};
  for (const [name, e] of errors) {
    const opt = name.includes(':') ? `${name.split(':')[0]}:` : '';
    const bare = name.slice(opt.length);
    const kind = bare.startsWith('grad.') ? 'grad' : bare.startsWith('new.state.') ? 'state' : /running_(mean|var)$/.test(bare) ? 'bn-stats' : 'param';
    const net = bare.includes('target.') ? 'target' : 'online';
    const key = `${opt}${kind}/${net}`;
    const gr = (groups[key] ??= { max: 0, worst: '', count: 0 });
    gr.count++;
    if (e > gr.max || Number.isNaN(e)) { gr.max = e; gr.worst = name; }
  }
  return groups;
}
