// A cohort's members as the catalogue sees them: each stored member joined to its series (matched by id, UID and
// volume key, so a series that left the catalogue, or an id SQLite reused for another series, reads as gone) with the
// columns of the learning verdict, and that verdict: the preprocessing domain's learningVerdict, the one rule for
// "can this series be learned from". No file access (the files on disk are checked by file-check.ts).
import type { Db } from '../catalogue/database.js';
import type { CohortMemberProblem } from '../../contract/types/cohort.js';
import { SourceFilesMissingError } from '../../contract/errors.js';
import { learningVerdict, type VerdictRow } from '../preprocess/index.js';

export interface MemberRow {
  cohortId: number;
  /** The stored series id. */
  id: number;
  seriesUid: string;
  volumeKey: string;
  /** The series' verdict columns; null when the series is no longer in the catalogue. */
  series: VerdictRow | null;
}

interface Joined {
  cohort_id: number;
  series_id: number;
  series_uid: string;
  volume_key: string;
  sid: number | null;
  status: string;
  description: string | null;
  dim_x: number | null;
  dim_y: number | null;
  dim_z: number | null;
  usable: number;
  unusable_reason: string | null;
  has_plan: number;
  file_count: number;
  gone_count: number;
  first_gone: string | null;
}

const SELECT = `
  SELECT m.cohort_id, m.series_id, m.series_uid, m.volume_key, s.id AS sid, s.status, s.description,
    s.dim_x, s.dim_y, s.dim_z, s.usable, s.unusable_reason, s.plan IS NOT NULL AS has_plan, s.file_count,
    (SELECT count(*) FROM files f WHERE f.series_id = s.id AND f.missing_at IS NOT NULL) AS gone_count,
    (SELECT min(f.path) FROM files f WHERE f.series_id = s.id AND f.missing_at IS NOT NULL) AS first_gone
  FROM cohort_members m
  LEFT JOIN series s ON s.id = m.series_id AND s.series_instance_uid = m.series_uid AND s.volume_key = m.volume_key`;

function memberOf(r: Joined): MemberRow {
  return {
    cohortId: r.cohort_id,
    id: r.series_id,
    seriesUid: r.series_uid,
    volumeKey: r.volume_key,
    series:
      r.sid === null
        ? null
        : {
            id: r.sid,
            status: r.status,
            description: r.description,
            dim_x: r.dim_x,
            dim_y: r.dim_y,
            dim_z: r.dim_z,
            usable: r.usable,
            unusable_reason: r.unusable_reason,
            hasPlan: r.has_plan === 1,
            fileCount: r.file_count,
            goneCount: r.gone_count,
            firstGone: r.first_gone,
          },
  };
}

/** Members of one cohort (or of every cohort when `cohortId` is null), by cohort then series id. */
export function memberRows(db: Db, cohortId: number | null): MemberRow[] {
  const rows = (
    cohortId === null
      ? db.prepare(`${SELECT} ORDER BY m.cohort_id, m.series_id`).all()
      : db.prepare(`${SELECT} WHERE m.cohort_id = ? ORDER BY m.series_id`).all(cohortId)
  ) as Joined[];
  return rows.map(memberOf);
}

/** Why this member cannot be learned from (catalogue only), or null when it can. */
export function memberProblem(m: MemberRow): CohortMemberProblem | null {
  if (!m.series) {
    return {
      id: m.id,
      seriesUid: m.seriesUid,
      description: '',
      code: 'gone',
      reason: `series ${m.id} (UID ${m.seriesUid}${m.volumeKey ? `, volume ${m.volumeKey}` : ''}) is no longer in the catalogue: it was removed or re-imported as another series`,
    };
  }
  const refused = learningVerdict(m.series);
  if (!refused) return null;
  return {
    id: m.id,
    seriesUid: m.seriesUid,
    description: m.series.description ?? '',
    code: refused instanceof SourceFilesMissingError ? 'files-missing' : 'not-usable',
    reason: refused.message,
  };
}
