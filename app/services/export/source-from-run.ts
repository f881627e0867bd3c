// A run and one of its checkpoints as an ExportSource: the facts the model card states, taken field by field from
// the run's record and config (never the config wholesale, which could hold a cohort filter's free text):
// - input: the box [D, H, W] and the preprocessing settings (app/contract/types/data.ts PreprocessSettings: spacing
//   along RAS x, y, z; canonical RAS orientation; intensity mode, CT window, foreground percentiles). The loader's
//   views are [N, 1, D, H, W] with W along x (app/services/augment/augment-pair.ts), so the spacing along D, H, W
//   is [z, y, x].
// - training: the settings listed in TRAINING_KEYS, kept only where they are numbers, booleans, short words, or
//   arrays / records of those.
// - data: the cohort's member count and content fingerprint (no name: a cohort is named by its user).
import type { PreprocessSettings } from '../../contract/types/data.js';
import { ExportError } from './errors.js';
import type { ExportSource } from './export-source.js';
import type { ExportRunRecord, RunWeights } from './run-source.js';

/** Training settings the card reports (when the run's config has them). */
export const TRAINING_KEYS = [
  'method', 'heads', 'optimizer', 'optimiser', 'lr', 'learningRate', 'weightDecay', 'warmupSteps', 'schedule', 'batch',
  'steps', 'totalSteps', 'seed', 'tauBase', 'tau', 'bnStatistics', 'norm', 'dtype', 'augment', 'augmentation',
] as const;

const WORD = /^[A-Za-z0-9 _.:+-]{0,48}$/;

/** The value if it is made of numbers, booleans and short words only (else undefined). */
export function settingValue(v: unknown, depth = 0): unknown {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return WORD.test(v) && !v.includes('/') ? v : undefined;
  if (depth > 4 || v === null || typeof v !== 'object') return undefined;
  if (Array.isArray(v)) {
    const out = v.map((x) => settingValue(x, depth + 1));
    return out.every((x) => x !== undefined) && out.length <= 64 ? out : undefined;
  }
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const s = settingValue(x, depth + 1);
    if (s !== undefined && WORD.test(k)) out[k] = s;
  }
  return out;
}

function box3(v: unknown): [number, number, number] | null {
  if (Array.isArray(v) && v.length === 3 && v.every((x) => Number.isInteger(x) && x > 0)) return v as [number, number, number];
  if (Array.isArray(v) && v.length === 4) return box3(v.slice(1)); // [C, D, H, W]
  return null;
}

export function exportSourceOf(run: ExportRunRecord, w: RunWeights): ExportSource {
  const c = run.config;
  const box = box3(c.box ?? c.inputBox ?? c.inputShape);
  if (!box) throw new ExportError(`run ${run.id} (${run.name}) records no input box [D, H, W] in its configuration`);
  const pre = (c.preprocess ?? c.preprocessing ?? {}) as Partial<PreprocessSettings>;
  const sp = Array.isArray(pre.spacing) && pre.spacing.length === 3 ? pre.spacing : null;
  if (!sp) throw new ExportError(`run ${run.id} (${run.name}) records no preprocessing spacing`);
  const training: Record<string, unknown> = { method: 'BYOL' };
  for (const k of TRAINING_KEYS) {
    const v = settingValue(c[k]);
    if (v !== undefined) training[k] = v;
  }
  return {
    run: { id: run.id, name: run.name, state: run.state, step: run.step, totalSteps: run.totalSteps, createdAt: run.createdAt, endedAt: run.endedAt },
    checkpoint: { step: w.step, file: w.checkpoint.split(/[\\/]/).pop() ?? w.checkpoint },
    resnet: w.resnet,
    encoder: w.encoder,
    heads: { projector: w.projector, predictor: w.predictor },
    input: {
      box,
      spacingMm: [sp[2], sp[1], sp[0]],
      orientation: 'RAS',
      axes: 'D: z (inferior to superior), H: y (posterior to anterior), W: x (left to right): a canonical RAS volume as a [z, y, x] array (nibabel: as_closest_canonical(img).get_fdata().transpose(2, 1, 0))',
      intensity: {
        mode: pre.intensity ?? 'auto',
        ctWindow: pre.ctWindow ?? null,
        percentiles: pre.percentiles ?? null,
        ct: 'clip to ctWindow (HU), then (x - low) / (high - low)',
        other: 'foreground x > p2 + 0.1 (p98 - p2) (FSL BET robust threshold); clip to the foreground percentiles, then z-score with the clipped foreground mean and standard deviation',
        auto: 'ct for modality CT, the other formula for everything else',
        volume: pre.volume ?? 0,
      },
    },
    training,
    compute: { provider: run.provider, hardware: { cpu: run.hardware.cpu, ...(run.hardware.gpu ? { gpu: run.hardware.gpu } : {}), threads: run.hardware.threads } },
    data: run.cohort ? { series: run.cohort.members, fingerprint: run.cohort.fingerprint } : null,
  };
}
