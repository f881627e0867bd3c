// Export sources for the tests, made as the app makes them: a real BYOL runner trained a few steps (so BN running
// statistics and num_batches_tracked are not their initial values), its online encoder and heads read with
// runner.stateDict(...), and settings of a small run around them. `trained: false` skips the runner (whose session
// takes ~20 s to create for a ResNet-50 step on 2 cores): the parameters are initParams of the same train step with
// every BN weight, bias and running statistic drawn at random, which exercises BN folding harder than two steps do.
import { ByolTrainRunner, buildTrainStep, initParams, Philox, resnetPreset, type ResNetConfig, type ResNetDepth, type TensorData } from '../../../../../../native-models/index.js';
import type { ExportSource } from '../../../../../../app/services/export/export-source.js';

export interface TinyRun {
  depth: ResNetDepth;
  over?: Partial<ResNetConfig>;
  /** Cube side of the training views and of the export box. */
  size?: number;
  steps?: number;
  seed?: number;
  /** Train with ByolTrainRunner (default true), or draw BN parameters and statistics at random. */
  trained?: boolean;
  /** Voxel size the run's preprocessing resampled to (default 2 mm). */
  spacingMm?: number;
}

function view(seed: number, batch: number, size: number): TensorData {
  const r = new Philox(seed);
  const d = new Float32Array(batch * size ** 3);
  for (let i = 0; i < d.length; i++) d[i] = r.normal() * 0.8 + 0.3;
  return { dtype: 'float32', dims: [batch, 1, size, size, size], data: d };
}

/** Trains a narrow encoder `steps` BYOL steps and returns an ExportSource of its online network. */
export async function trainedSource(t: TinyRun): Promise<ExportSource> {
  const size = t.size ?? 16;
  const steps = t.steps ?? 2;
  const resnet = resnetPreset(t.depth, { widths: [8, 8, 16, 16], ...t.over });
  const cfg = {
    encoder: resnet,
    heads: { projHidden: 32, projOut: 8, predHidden: 32 },
    optimizer: { type: 'adamw' as const, betas: [0.9, 0.999] as [number, number], eps: 1e-8 },
    batch: 2,
    inputShape: [1, size, size, size] as [number, number, number, number],
  };
  const specs = buildTrainStep(cfg).specs;
  const params = initParams(specs, t.seed ?? 3);
  if (t.trained === false) return source(t, resnet, size, 0, randomised(specs, params, t.seed ?? 3));
  const runner = await ByolTrainRunner.create(cfg, params, { intraOpNumThreads: 2 });
  try {
    for (let k = 1; k <= steps; k++) await runner.step(view(100 * k, 2, size), view(100 * k + 1, 2, size), { lr: 0.05, weightDecay: 1e-4, tau: 0.99, step: k });
    const copy = (d: Record<string, TensorData>) =>
      Object.fromEntries(Object.entries(d).map(([k, v]) => [k, { dtype: v.dtype, dims: [...v.dims], data: v.data.slice() } as TensorData]));
    return source(t, resnet, size, steps, {
      encoder: copy(runner.stateDict('online.encoder.')),
      projector: copy(runner.stateDict('online.projector.')),
      predictor: copy(runner.stateDict('online.predictor.')),
    });
  } finally {
    await runner.release();
  }
}

type Parts = Record<'encoder' | 'projector' | 'predictor', Record<string, TensorData>>;

/** The online parts of initParams with BN weights/biases/statistics drawn at random and num_batches_tracked 7. */
function randomised(specs: { name: string; kind: string }[], params: Record<string, TensorData>, seed: number): Parts {
  const r = new Philox(seed + 1000);
  const parts: Parts = { encoder: {}, projector: {}, predictor: {} };
  for (const s of specs) {
    const m = /^online\.(encoder|projector|predictor)\.(.+)$/.exec(s.name);
    if (!m) continue;
    const t = params[s.name];
    const d = t.data as Float32Array;
    for (let i = 0; i < d.length; i++) {
      if (s.kind === 'norm-weight') d[i] = 0.5 + r.uniform();
      else if (s.kind === 'norm-bias') d[i] = 0.2 * r.normal();
      else if (s.kind === 'running-mean') d[i] = 0.3 * r.normal();
      else if (s.kind === 'running-var') d[i] = 0.5 + 1.5 * r.uniform();
    }
    const part = parts[m[1] as keyof Parts];
    part[m[2]] = t;
    if (s.kind === 'running-mean') part[m[2].replace(/running_mean$/, 'num_batches_tracked')] = { dtype: 'int64', dims: [], data: BigInt64Array.from([7n]) };
  }
  return parts;
}

function source(t: TinyRun, resnet: ResNetConfig, size: number, steps: number, p: Parts): ExportSource {
  return {
    run: { id: 7, name: `tiny resnet${t.depth}`, state: 'done', step: steps, totalSteps: steps, createdAt: '2025-01-01T00:00:00.000Z', endedAt: '2025-01-01T00:01:00.000Z' },
    checkpoint: { step: steps, file: `step-${String(steps).padStart(6, '0')}.safetensors` },
    resnet,
    encoder: p.encoder,
    heads: { projector: p.projector, predictor: p.predictor },
    input: {
      box: [size, size, size],
      spacingMm: [t.spacingMm ?? 2, t.spacingMm ?? 2, t.spacingMm ?? 2],
      orientation: 'RAS',
      axes: 'D: z (inferior to superior), H: y (posterior to anterior), W: x (left to right)',
      intensity: { mr: 'foreground 1-99 percentile clip, z-score' },
    },
    training: { method: 'BYOL', optimizer: 'adamw', lr: 0.05, batch: 2, steps, seed: t.seed ?? 3 },
    compute: { provider: 'cpu', hardware: { cpu: 'test CPU', threads: 2 } },
    data: { series: 4, skipped: 0, fingerprint: 'sha256:0123', cohort: { members: 5, fingerprint: 'sha256:4567' } },
  };
}
