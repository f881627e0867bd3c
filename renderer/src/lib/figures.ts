// Human-readable figures for progress and results (the Import screen, the jobs tray): counts, throughput,
// durations, and the fraction of a job done.

/** 1234567 -> "1,234,567" (grouping follows the user's locale). */
export function formatCount(n: number | undefined | null): string {
  if (n === undefined || n === null || !Number.isFinite(n)) return '—';
  return Math.round(n).toLocaleString();
}

/** Items per second with a sensible number of digits: 0.42/s, 12.3/s, 1,204/s. */
export function formatRate(perSecond: number | undefined | null, unit = 'files'): string {
  if (perSecond === undefined || perSecond === null || !Number.isFinite(perSecond) || perSecond <= 0) return '—';
  const digits = perSecond < 1 ? 2 : perSecond < 100 ? 1 : 0;
  return `${perSecond.toLocaleString(undefined, { maximumFractionDigits: digits, minimumFractionDigits: 0 })} ${unit}/s`;
}

/** Seconds -> "45 s", "3 min 05 s", "1 h 02 min". */
export function formatDuration(seconds: number | undefined | null): string {
  if (seconds === undefined || seconds === null || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  const h = Math.floor(m / 60);
  return `${h} h ${String(m % 60).padStart(2, '0')} min`;
}

/** Fraction done in [0, 1], or null when the total is unknown. */
export function fractionDone(current: number, total: number): number | null {
  if (!(total > 0) || !Number.isFinite(current)) return null;
  return Math.min(1, Math.max(0, current / total));
}
