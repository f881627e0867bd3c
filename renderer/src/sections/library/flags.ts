// Labels and severities for series flags and statuses, shown as badges in the library and the series view.
// A series may carry one flag code several times (`lossy-compression` once per lossy transfer syntax it
// mixes): mergeFlags makes one entry per code with every reason, so lists keyed by code stay unique.
import type { SeriesFlag, SeriesRow, SeriesStatus } from '../../../../app/contract/types.js';

export type BadgeTone = 'warn' | 'bad' | 'info' | 'ok';

export interface Badge {
  key: string;
  label: string;
  reason: string;
  tone: BadgeTone;
}

const FLAG_LABELS: Record<string, string> = {
  'gantry-tilt': 'Gantry tilt',
  'non-uniform-spacing': 'Uneven spacing',
  'missing-slices': 'Missing slices',
  'mixed-orientation': 'Mixed orientation',
  mosaic: 'Mosaic',
  colour: 'Colour',
  color: 'Colour',
  'not-stacked': 'Not stacked',
  oblique: 'Oblique',
  'missing-files': 'Files missing',
};

const BAD_FLAGS = new Set(['missing-slices', 'mixed-orientation', 'missing-files']);
const INFO_FLAGS = new Set(['oblique', 'mosaic']);

/** 'some-flag-code' -> 'Some flag code' when no label is known. */
export function flagLabel(code: string): string {
  const known = FLAG_LABELS[code];
  if (known) return known;
  const words = code.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function flagTone(code: string): BadgeTone {
  if (BAD_FLAGS.has(code)) return 'bad';
  if (INFO_FLAGS.has(code)) return 'info';
  return 'warn';
}

// Keyed by string: covers every status the catalogue has used, and unknown ones fall back to their code.
const STATUS_TEXT: Record<string, { label: string; reason: string; tone: BadgeTone }> = {
  complete: { label: 'Complete', reason: 'Every file of the series was read and the volume assembled.', tone: 'ok' },
  importing: {
    label: 'Importing',
    reason: 'The series is still being imported, or an import stopped before finishing it; the next import redoes it.',
    tone: 'info',
  },
  incomplete: {
    label: 'Incomplete',
    reason: 'Catalogued but not whole: files are gone from disk, or the volume could not be assembled (see its flags).',
    tone: 'bad',
  },
  'missing-files': {
    label: 'Files missing',
    reason: 'Some or all of its files were gone from disk at the last rescan.',
    tone: 'bad',
  },
  failed: {
    label: 'Failed',
    reason: 'Catalogued from its headers, but its voxels could not be loaded (see its flags).',
    tone: 'bad',
  },
};

/** One flag per code, in first-seen order, with the distinct reasons of its repeats joined by newlines. */
export function mergeFlags(flags: readonly SeriesFlag[]): SeriesFlag[] {
  const byCode = new Map<string, string[]>();
  for (const f of flags) {
    const reasons = byCode.get(f.code);
    if (!reasons) byCode.set(f.code, [f.reason]);
    else if (!reasons.includes(f.reason)) reasons.push(f.reason);
  }
  return [...byCode].map(([code, reasons]) => ({ code, reason: reasons.join('\n') }));
}

/** Every badge a series row shows: a non-complete status, each flag, and "not for learning". */
export function rowBadges(row: Pick<SeriesRow, 'flags' | 'status' | 'usableForLearning' | 'unusableReason'>): Badge[] {
  const out: Badge[] = [];
  if (row.status !== 'complete') {
    const s = statusText(row.status);
    out.push({ key: `status:${row.status}`, label: s.label, reason: s.reason, tone: s.tone });
  }
  for (const f of mergeFlags(row.flags)) {
    out.push({ key: `flag:${f.code}`, label: flagLabel(f.code), reason: f.reason, tone: flagTone(f.code) });
  }
  if (!row.usableForLearning) {
    out.push({
      key: 'unusable',
      label: 'Not for learning',
      reason: row.unusableReason ?? 'This series cannot be used for pretraining.',
      tone: 'info',
    });
  }
  return out;
}

export function statusText(status: SeriesStatus): { label: string; reason: string; tone: BadgeTone } {
  return STATUS_TEXT[status] ?? { label: flagLabel(status), reason: `Status '${status}'.`, tone: 'info' };
}
