// A run and one of its checkpoints as an ExportSource: the facts the model card states, taken field by field from
// the run's record and PretrainConfig (app/contract/types/runs.ts), never wholesale:
// - input: the box `config.input` [D, H, W] and the preprocessing settings (PreprocessSettings: spacing along RAS
//   x, y, z; canonical RAS orientation; intensity mode, CT window, foreground percentiles). The loader's views are
//   [N, 1, D, H, W] with W along x (app/services/augment/augment-pair.ts), so the spacing along D, H, W is [z, y, x].
// - training: the settings in TRAINING_KEYS, kept only where they are numbers, booleans, short words, or arrays and
//   records of those (settingValue), so no free text can pass.
// - data: counts and fingerprints (series used and skipped, the preprocessed data's fingerprint, the cohort's member
//   count and content fingerprint): no cohort name, no series ids, no paths.
import type { PretrainConfig, RunRecord } from '../../contract/types/runs.js';
import type { EvaluationFigure } from '../../contract/types.js';
import type { ExportInput, ExportSource } from './export-source.js';
import type { RunWeights } from './run-source.js';

/** Training settings the card reports. */
export const TRAINING_KEYS = [
  'arch', 'heads', 'optimizer', 'lr', 'weightDecay', 'warmupSteps', 'batch', 'steps', 'epochs', 'seed', 'tauBase',
  'bnStatistics', 'augment', 'threads',
] as const satisfies readonly (keyof PretrainConfig)[];

const WORD = /^[A-Za-z0-9 _.:+-]{0,48}$/;

/** The value if it is made of numbers, booleans and short words only (else undefined). */
export function settingValue(v: unknown, depth = 0): unknown {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return WORD.test(v) ? v : undefined;
  if (v === null) return null;
  if (depth > 4 || typeof v !== 'object') return undefined;
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

export const INPUT_AXES =
  'D: z (inferior to superior), H: y (posterior to anterior), W: x (left to right): a canonical RAS volume as a [z, y, x] array (nibabel: as_closest_canonical(img).get_fdata().transpose(2, 1, 0))';

/** What the encoder expects as input, from a run's box and preprocessing settings. */
export function exportInputOf(c: Pick<PretrainConfig, 'input' | 'preprocess'>): ExportInput {
  const pre = c.preprocess;
  return {
    box: [c.input[0], c.input[1], c.input[2]],
    spacingMm: [pre.spacing[2], pre.spacing[1], pre.spacing[0]],
    orientation: 'RAS',
    axes: INPUT_AXES,
    intensity: {
      mode: pre.intensity,
      ctWindow: pre.ctWindow,
      percentiles: pre.percentiles,
      ct: 'clip to ctWindow (HU), then (x - low) / (high - low)',
      other: 'foreground: x > p2 + 0.1 (p98 - p2) (FSL BET robust threshold); clip to the foreground percentiles, then z-score with the clipped foreground mean and standard deviation (ddof 0)',
      auto: 'the CT formula for modality CT, the other one for everything else',
      volume: pre.volume,
      antiAlias: pre.antiAlias,
    },
  };
}

export function exportSourceOf(run: RunRecord, w: RunWeights, evaluation: EvaluationFigure[] = []): ExportSource {
  const c = run.config;
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
    input: exportInputOf(c),
    training,
    compute: { provider: run.provider, hardware: { cpu: run.hardware.cpu, ...(run.hardware.gpu ? { gpu: run.hardware.gpu } : {}), threads: run.hardware.threads } },
    data: run.data || run.cohort
      ? {
          series: run.data?.seriesIds.length ?? run.cohort?.members ?? 0,
          skipped: run.data?.skipped.length ?? 0,
          fingerprint: run.data?.fingerprint ?? run.cohort?.fingerprint ?? '',
          cohort: run.cohort ? { members: run.cohort.members, fingerprint: run.cohort.fingerprint } : null,
        }
      : null,
    evaluation,
  };
}
