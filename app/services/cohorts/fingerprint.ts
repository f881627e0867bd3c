// The content fingerprint of a set of series (a cohort's members), which a training run records so that it can be
// explained and repeated (DESIGN §5a): SHA-256 over, for each member in (series UID, volume key) order, its UID and
// volume key and then, in path order, each source file's size and mtime on disk ('missing' for a file that is gone;
// 'gone' for a member no longer in the catalogue). Paths are left out on purpose: the same files moved or copied
// with their times (cp -a, rsync -a) give the same fingerprint; any file added, removed, rewritten or touched, and
// any member added or removed, gives another one. Series ids are left out too (they are local to a catalogue).
import { createHash } from 'node:crypto';
import type { FileState } from './file-check.js';

export interface FingerprintMember {
  seriesUid: string;
  volumeKey: string;
  /** Files in path order with their state on disk; null when the series is no longer in the catalogue. */
  files: FileState[] | null;
}

export const FINGERPRINT_VERSION = 'voxelbase-members-v1';

export function membersFingerprint(members: readonly FingerprintMember[]): string {
  const sorted = [...members].sort((a, b) => cmp(a.seriesUid, b.seriesUid) || cmp(a.volumeKey, b.volumeKey));
  const h = createHash('sha256').update(`${FINGERPRINT_VERSION}\n${sorted.length}\n`);
  for (const m of sorted) {
    // JSON strings: no UID or volume key can forge a line of another member.
    h.update(`S ${JSON.stringify(m.seriesUid)} ${JSON.stringify(m.volumeKey)} ${m.files === null ? 'gone' : m.files.length}\n`);
    for (const f of m.files ?? []) h.update(f === null ? 'F missing\n' : `F ${f.size} ${f.mtimeMs}\n`);
  }
  return h.digest('hex');
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
