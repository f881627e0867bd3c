// A run's configuration from the options a user gave (PretrainOptions) and defaults sized to the machine and the
// data (DESIGN §1 step 4: "accept defaults sized for the detected device"). Each default that depends on the machine
// or the data adds a note saying why, shown beside the form and printed by the CLI.
//
// Optimisers (DESIGN §5): LARS by default, as BYOL (base learning rate 0.2 x batch / 256, weight decay 1.5e-6,
// momentum 0.9, trust coefficient 1e-3, biases and norm parameters excluded from decay and adaptation); AdamW as
// the option for small batches (lr 3e-4 as DESIGN's PyTorch reference measurement, weight decay 1e-2, PyTorch's
// betas and eps, biases and norm parameters excluded). Norm: per-view BatchNorm; GroupNorm + weight
// standardisation below 8 samples per view, where batch statistics are too noisy (Y. Wu & K. He 2018; BYOL's own
// follow-up, P. Richemond et al. 2020, matches BN with GN + WS).
import { BYOL_DEFAULT_HEADS, resnetPreset, type ResNetDepth, type TrainStepConfig } from '../../../native-models/index.js';
import { resolveAugment } from '../augment/index.js';
import { resolveSettings } from '../preprocess/index.js';
import { PretrainError } from '../../contract/errors.js';
import type { PretrainArch, PretrainConfig, PretrainOptions, ResNetSpec } from '../../contract/types/runs.js';
import { defaultTauBase } from './schedule.js';

/** What the defaults are sized to. */
export interface PlanFacts {
  /** Logical cores. */
  cores: number;
  /** Memory available now, MB. */
  availableMb: number;
  /** A GPU provider will run the step. */
  gpu: boolean;
  /** Series the run trains on. */
  series: number;
  /** Median over the series of their smallest physical extent in mm (null when unknown). */
  extentMm: number | null;
}

export const SMALL_BATCH = 8;
export const LARS_BASE_LR = 0.2;
export const ADAMW_LR = 3e-4;

const DEPTH: Record<PretrainArch, ResNetDepth> = { resnet10: 10, resnet18: 18, resnet34: 34, resnet50: 50 };

/** Architecture, input edge and batch for the machine, before the data and memory checks. */
function machineDefaults(f: PlanFacts): { arch: PretrainArch; edge: number; batch: number; why: string } {
  if (f.gpu) return { arch: 'resnet18', edge: 96, batch: 16, why: 'a GPU provider works here' };
  if (f.cores <= 4) return { arch: 'resnet10', edge: 32, batch: 16, why: `${f.cores} CPU cores` };
  if (f.cores <= 16) return { arch: 'resnet18', edge: 64, batch: 8, why: `${f.cores} CPU cores` };
  return { arch: 'resnet18', edge: 64, batch: 16, why: `${f.cores} CPU cores` };
}

export function resolveConfig(o: PretrainOptions, f: PlanFacts): { config: PretrainConfig; notes: string[] } {
  const notes: string[] = [];
  const m = machineDefaults(f);
  const arch = o.arch ?? m.arch;
  if (!o.arch) notes.push(`architecture ${arch}: ${m.why}`);
  const spacing = o.spacing ?? 2;
  let input: [number, number, number];
  if (o.input !== undefined) {
    input = typeof o.input === 'number' ? [o.input, o.input, o.input] : [...o.input];
  } else {
    let edge = m.edge;
    if (f.extentMm !== null) {
      // no bigger than the data at this spacing: crops are resized to the box, so a larger box only upsamples
      const fit = Math.max(16, Math.floor(f.extentMm / spacing / 16) * 16);
      if (fit < edge) {
        notes.push(`input ${fit}^3: the series' median smallest extent is ${Math.round(f.extentMm)} mm at ${spacing} mm voxels`);
        edge = fit;
      }
    }
    if (edge === m.edge) notes.push(`input ${edge}^3 voxels of ${spacing} mm: ${m.why}`);
    input = [edge, edge, edge];
  }
  const batch = o.batch ?? m.batch;
  if (!o.batch) notes.push(`batch ${batch}: ${m.why}`);
  const norm = o.norm ?? (batch < SMALL_BATCH ? 'group' : 'batch');
  if (!o.norm && norm === 'group') notes.push(`GroupNorm + weight standardisation: batch ${batch} is below ${SMALL_BATCH}, too small for batch statistics`);
  const resnet = resnetPreset(DEPTH[arch], { norm: { kind: norm }, ...(o.widths ? { widths: [...o.widths] as ResNetSpec['widths'] } : {}) }) as ResNetSpec;

  let steps = o.steps;
  let epochs: number | null = null;
  if (steps === undefined && o.epochs !== undefined) {
    epochs = o.epochs;
    steps = Math.max(1, Math.ceil((o.epochs * f.series) / batch));
  }
  if (o.steps !== undefined && o.epochs !== undefined) throw new PretrainError('give either steps or epochs, not both');
  if (steps === undefined) {
    steps = 1000;
    notes.push(`1000 steps (${((1000 * batch) / Math.max(1, f.series)).toFixed(1)} epochs of ${f.series} series)`);
  }
  const optimizerType = o.optimizer ?? 'lars';
  const optimizer: PretrainConfig['optimizer'] =
    optimizerType === 'lars' ? { type: 'lars', momentum: 0.9, eta: 1e-3 } : { type: 'adamw', betas: [0.9, 0.999], eps: 1e-8, exclude: 'bias_norm' };
  const lr = o.lr ?? (optimizerType === 'lars' ? (LARS_BASE_LR * batch) / 256 : ADAMW_LR);
  const weightDecay = o.weightDecay ?? (optimizerType === 'lars' ? 1.5e-6 : 1e-2);
  const warmupSteps = Math.min(steps - 1, o.warmupSteps ?? Math.round(steps / 20));
  const tauBase = o.tauBase ?? defaultTauBase(steps);
  const loaderWorkers = o.loaderWorkers ?? (f.cores <= 2 ? 1 : Math.min(4, Math.max(1, Math.floor(f.cores / 4))));
  const threads = o.threads ?? Math.max(1, f.cores);
  const config: PretrainConfig = {
    arch,
    resnet,
    heads: o.heads ? { ...o.heads } : { ...BYOL_DEFAULT_HEADS },
    optimizer,
    lr,
    weightDecay,
    warmupSteps: Math.max(0, warmupSteps),
    batch,
    steps,
    epochs,
    seed: o.seed ?? 0,
    tauBase,
    input,
    preprocess: resolveSettings({ spacing }),
    augment: resolveAugment(o.augment),
    bnStatistics: o.bnStatistics ?? 'per-view',
    checkpoint: {
      everySteps: o.checkpointEvery ?? Math.max(1, Math.ceil(steps / 10)),
      everySeconds: Math.round((o.checkpointMinutes ?? 10) * 60),
      keep: o.keepCheckpoints ?? 3,
    },
    threads,
    loaderWorkers,
  };
  if (batch < 2 && config.bnStatistics === 'per-view' && norm === 'batch') {
    throw new PretrainError('batch 1 cannot use batch statistics per view: use --norm group or a larger batch');
  }
  return { config, notes };
}

/** The engine's step configuration of a run. */
export function trainStepConfig(c: PretrainConfig): TrainStepConfig {
  return {
    encoder: c.resnet,
    heads: c.heads,
    optimizer: c.optimizer,
    batch: c.batch,
    inputShape: [c.resnet.inChannels, ...c.input],
    bnStatistics: c.bnStatistics,
  };
}
