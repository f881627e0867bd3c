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

// DICOM PS3.6 Annex A transfer syntax UIDs -> short names.
const TRANSFER_SYNTAXES: Record<string, string> = {
  '1.2.840.10008.1.2': 'Implicit VR LE',
  '1.2.840.10008.1.2.1': 'Explicit VR LE',
  '1.2.840.10008.1.2.1.99': 'Deflated explicit VR LE',
  '1.2.840.10008.1.2.2': 'Explicit VR BE',
  '1.2.840.10008.1.2.5': 'RLE lossless',
  '1.2.840.10008.1.2.4.50': 'JPEG baseline',
  '1.2.840.10008.1.2.4.51': 'JPEG extended (12-bit)',
  '1.2.840.10008.1.2.4.57': 'JPEG lossless',
  '1.2.840.10008.1.2.4.70': 'JPEG lossless SV1',
  '1.2.840.10008.1.2.4.80': 'JPEG-LS lossless',
  '1.2.840.10008.1.2.4.81': 'JPEG-LS near-lossless',
  '1.2.840.10008.1.2.4.90': 'JPEG 2000 lossless',
  '1.2.840.10008.1.2.4.91': 'JPEG 2000',
  '1.2.840.10008.1.2.4.201': 'HTJ2K lossless',
  '1.2.840.10008.1.2.4.202': 'HTJ2K lossless RPCL',
  '1.2.840.10008.1.2.4.203': 'HTJ2K',
  nifti: 'NIfTI',
};

/** A transfer syntax UID's name ("Explicit VR LE"), or the UID itself when unknown. */
export function transferSyntaxName(uid: string): string {
  return TRANSFER_SYNTAXES[uid] ?? uid;
}
