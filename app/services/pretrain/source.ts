// What a run trains on: a cohort (its usable members, in id order; the unusable ones are recorded as skipped with
// their reason, and the cohort's id, name, member count and content fingerprint go into the run record) or a plain
// list of series.
import type { Db } from '../catalogue/database.js';
import { requireUsableMembers, resolveCohort } from '../cohorts/index.js';
import { PretrainError } from '../../contract/errors.js';
import type { RunRecord } from '../../contract/types/runs.js';

export interface PretrainSource {
  /** Cohort id or name. */
  cohort?: number | string;
  series?: number[];
}

export interface ResolvedSource {
  seriesIds: number[];
  cohort: RunRecord['cohort'];
  skipped: { seriesId: number; reason: string }[];
}

export async function resolveSource(db: Db, src: PretrainSource): Promise<ResolvedSource> {
  if ((src.cohort === undefined) === (src.series === undefined)) throw new PretrainError('give either a cohort or a list of series to train on');
  if (src.cohort !== undefined) {
    const r = await resolveCohort(db, src.cohort);
    const usable = requireUsableMembers(r);
    return {
      seriesIds: usable,
      cohort: { id: r.cohort.id, name: r.cohort.name, members: r.members.length, fingerprint: r.fingerprint ?? '' },
      skipped: r.unusable.map((u) => ({ seriesId: u.id, reason: u.reason })),
    };
  }
  const ids = [...new Set(src.series!)];
  if (!ids.length) throw new PretrainError('nothing to train on: the series list is empty');
  return { seriesIds: ids, cohort: null, skipped: [] };
}
