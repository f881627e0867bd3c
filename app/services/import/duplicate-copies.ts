// The same DICOM file seen at two paths (a study copied into a second folder, a backup beside the
// original) is recorded once: files of one series UID that share a SOP Instance UID and a size are
// compared byte for byte (SHA-256 of the whole file) and every identical copy but one is dropped before
// assembly, so the copies do not stack as repeated positions. Which copy stays: one the catalogue already
// holds (`prefer`), else the first path in sort order. Same SOP Instance UID with different content (a
// re-encoded copy, a conflicting instance) is left to the assembly, which reports it.
// Runs in the import worker threads (it reads the candidate files).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { DicomHeader } from '../imaging/index.js';

export interface DuplicateCopy {
  path: string;
  /** The copy that is kept. */
  sameAs: string;
}

function contentHash(path: string): string | null {
  try {
    return createHash('sha256').update(fs.readFileSync(path)).digest('hex');
  } catch {
    return null; // unreadable now: not compared (the load will report it)
  }
}

export function dropDuplicateCopies(headers: DicomHeader[], prefer: ReadonlySet<string> = new Set()): { kept: DicomHeader[]; duplicates: DuplicateCopy[] } {
  const groups = new Map<string, DicomHeader[]>();
  for (const h of headers) {
    if (!h.sopInstanceUid) continue;
    const key = `${h.sopInstanceUid}\0${h.fileSize}`;
    const g = groups.get(key);
    if (g) g.push(h);
    else groups.set(key, [h]);
  }
  const dropped = new Set<string>();
  const duplicates: DuplicateCopy[] = [];
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const byHash = new Map<string, DicomHeader[]>();
    for (const h of group) {
      const hash = contentHash(h.path);
      if (hash === null) continue;
      const same = byHash.get(hash);
      if (same) same.push(h);
      else byHash.set(hash, [h]);
    }
    for (const same of byHash.values()) {
      if (same.length < 2) continue;
      same.sort((a, b) => Number(prefer.has(b.path)) - Number(prefer.has(a.path)) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      for (const copy of same.slice(1)) {
        dropped.add(copy.path);
        duplicates.push({ path: copy.path, sameAs: same[0].path });
      }
    }
  }
  return { kept: dropped.size ? headers.filter((h) => !dropped.has(h.path)) : headers, duplicates };
}
