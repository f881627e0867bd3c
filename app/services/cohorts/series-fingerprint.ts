// The members fingerprint (fingerprint.ts) of an explicit list of series ids, for work that runs on series rather
// than on a cohort; ids not in the catalogue are refused (NotFoundError naming them).
import type { Db } from '../catalogue/database.js';
import { seriesKeys } from './cohort-store.js';
import { checkSeriesFiles } from './file-check.js';
import { membersFingerprint } from './fingerprint.js';

export async function seriesFingerprint(db: Db, seriesIds: readonly number[]): Promise<string> {
  const rows = seriesKeys(db, [...new Set(seriesIds)]);
  const checks = await checkSeriesFiles(
    db,
    rows.map((r) => r.id),
    (id) => `series ${id}`,
  );
  return membersFingerprint(rows.map((r, i) => ({ seriesUid: r.uid, volumeKey: r.volumeKey, files: checks[i].files.map((f) => f.now) })));
}
