// Display helpers for series metadata: dimensions, spacing, dates, patient names.

/** [256, 256, 20] -> "256 × 256 × 20"; a 4-D series adds "× 5 vol". */
export function formatDims(dims: readonly number[]): string {
  if (dims.length === 0) return '—';
  const xyz = dims.slice(0, 3).join(' × ');
  const t = dims[3];
  return t !== undefined && t > 1 ? `${xyz} × ${t} vol` : xyz;
}

/** [0.9375, 0.9375, 5] -> "0.94 × 0.94 × 5 mm". */
export function formatSpacing(spacing: readonly number[]): string {
  if (spacing.length === 0 || spacing.some((s) => !Number.isFinite(s))) return '—';
  return `${spacing.map((s) => trimNumber(s, 2)).join(' × ')} mm`;
}

export function trimNumber(n: number, digits: number): string {
  return Number(n.toFixed(digits)).toString();
}

/** DICOM PN "Doe^John^^^" -> "Doe, John"; empty -> "". */
export function formatPersonName(pn: string): string {
  const parts = pn
    .split('^')
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length <= 1) return parts[0] ?? '';
  return `${parts[0]}, ${parts.slice(1).join(' ')}`;
}

/** YYYY-MM-DD stays as is (unambiguous for an international lab); '' -> '—'. */
export function formatDate(d: string): string {
  return d ? d : '—';
}

/** ISO timestamp -> local "2026-11-27 23:05". */
export function formatTimestamp(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Bytes -> "1.2 MB". */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}
