// Preprocessing settings: defaults, merging of partial overrides, and the settings key (a hash of the
// settings and of PREPROCESS_VERSION) that names a cache folder, so that changed settings or a changed
// algorithm never reuse old cache files.
import { createHash } from 'node:crypto';
import type { PreprocessSettings } from '../../contract/types/data.js';
import { PreprocessError } from '../../contract/errors.js';

/** Bump when the preprocessing algorithm changes what it writes: every cache entry is then recomputed. */
export const PREPROCESS_VERSION = 1;

export const DEFAULT_PREPROCESS_SETTINGS: Readonly<PreprocessSettings> = Object.freeze({
  spacing: [2, 2, 2] as [number, number, number],
  antiAlias: true,
  intensity: 'auto' as const,
  ctWindow: [-1000, 1000] as [number, number],
  percentiles: [0.5, 99.5] as [number, number],
  volume: 0,
});

export type PreprocessSettingsInput = Partial<Omit<PreprocessSettings, 'spacing'>> & { spacing?: number | [number, number, number] };

/** Defaults overridden by `input`; a single spacing number means isotropic. Throws PreprocessError on nonsense. */
export function resolveSettings(input: PreprocessSettingsInput = {}): PreprocessSettings {
  const d = DEFAULT_PREPROCESS_SETTINGS;
  const sp = input.spacing ?? d.spacing;
  const s: PreprocessSettings = {
    spacing: (typeof sp === 'number' ? [sp, sp, sp] : [...sp]) as [number, number, number],
    antiAlias: input.antiAlias ?? d.antiAlias,
    intensity: input.intensity ?? d.intensity,
    ctWindow: [...(input.ctWindow ?? d.ctWindow)] as [number, number],
    percentiles: [...(input.percentiles ?? d.percentiles)] as [number, number],
    volume: input.volume ?? d.volume,
  };
  if (!s.spacing.every((v) => Number.isFinite(v) && v >= 0.05 && v <= 50)) {
    throw new PreprocessError(`spacing ${s.spacing.join(' x ')} mm is outside 0.05-50 mm`);
  }
  if (!(s.ctWindow[0] < s.ctWindow[1])) throw new PreprocessError(`CT window [${s.ctWindow.join(', ')}] is empty`);
  if (!(s.percentiles[0] >= 0 && s.percentiles[0] < s.percentiles[1] && s.percentiles[1] <= 100)) {
    throw new PreprocessError(`percentiles [${s.percentiles.join(', ')}] must satisfy 0 <= low < high <= 100`);
  }
  if (!Number.isInteger(s.volume) || s.volume < 0) throw new PreprocessError(`volume index ${s.volume} is not a non-negative integer`);
  return s;
}

/** 16 hex digits naming (settings, algorithm version). */
export function settingsKey(s: PreprocessSettings): string {
  const canonical = JSON.stringify([PREPROCESS_VERSION, s.spacing, s.antiAlias, s.intensity, s.ctWindow, s.percentiles, s.volume]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}
