// A cohort resolved for use: its members, which of them can be learned from, the others with their reasons (the
// catalogue's verdict, then, unless told not to, the files on disk), and the members' content fingerprint. This is
// what pretraining, embedding and evaluation call before they start (through the public module), and what
// cohort:get shows.
import type { Db } from '../catalogue/database.js';
import type { CohortDetail, CohortMemberProblem, CohortSummary } from '../../contract/types/cohort.js';
import { CohortEmptyError } from './errors.js';
import { quoteCohortName } from '../../contract/calls/cohort.js';
import { findCohort, type CohortRef } from './cohort-store.js';
import { memberProblem, memberRows } from './member-rows.js';
import { checkSeriesFiles, type FileState } from './file-check.js';
import { membersFingerprint } from './fingerprint.js';
import { breakdown, type BreakdownRow } from './breakdown.js';

export interface ResolveOptions {
  /** Stat every member's source files (existence, size) and compute the fingerprint (default true). */
  checkFiles?: boolean;
}

export interface ResolvedCohort {
  /** usableCount counts `usable` (after the file check when there was one). */
  cohort: CohortSummary;
  /** Every member's series id, ascending. */
  members: number[];
  /** The members that can be learned from, ascending. */
  usable: number[];
  /** The others, ascending id, each with its reason. */
  unusable: CohortMemberProblem[];
  filesChecked: boolean;
  /** membersFingerprint of the members (fingerprint.ts); null when files were not checked. */
  fingerprint: string | null;
}

export async function resolveCohort(db: Db, ref: CohortRef, options: ResolveOptions = {}): Promise<ResolvedCohort> {
  const checkFiles = options.checkFiles ?? true;
  const cohort = findCohort(db, ref);
  const rows = memberRows(db, cohort.id);
  const problems = new Map<number, CohortMemberProblem>();
  for (const m of rows) {
    const p = memberProblem(m);
    if (p) problems.set(m.id, p);
  }
  let fingerprint: string | null = null;
  if (checkFiles) {
    const present = new Map(rows.filter((m) => m.series !== null).map((m) => [m.id, m]));
    const describe = (id: number) => {
      const d = present.get(id)?.series?.description;
      return `series ${id}${d ? ` (${d})` : ''}`;
    };
    const checks = await checkSeriesFiles(
      db,
      [...present.keys()],
      describe,
    );
    const files = new Map<number, FileState[]>();
    for (const c of checks) {
      files.set(c.seriesId, c.files.map((f) => f.now));
      const m = present.get(c.seriesId)!;
      if (c.problem && !problems.has(c.seriesId)) {
        problems.set(c.seriesId, { id: m.id, seriesUid: m.seriesUid, description: m.series?.description ?? '', code: 'files-missing', reason: c.problem });
      }
    }
    fingerprint = membersFingerprint(rows.map((m) => ({ seriesUid: m.seriesUid, volumeKey: m.volumeKey, files: files.get(m.id) ?? null })));
  }
  const members = rows.map((m) => m.id);
  const usable = members.filter((id) => !problems.has(id));
  return {
    cohort: { ...cohort, usableCount: usable.length },
    members,
    usable,
    unusable: members.filter((id) => problems.has(id)).map((id) => problems.get(id)!),
    filesChecked: checkFiles,
    fingerprint,
  };
}

/**
 * The usable members, or CohortEmptyError saying why there are none (no members at all; or every member unusable,
 * with the first reasons). For whatever needs members to work on (pretraining, embedding, evaluation).
 */
export function requireUsableMembers(resolved: ResolvedCohort): number[] {
  const { cohort, members, usable, unusable } = resolved;
  const name = quoteCohortName(cohort.name);
  if (!members.length) {
    throw new CohortEmptyError(
      `cohort ${name} has no members: add series to it (Library, or voxelbase cohort add ${name} --series ID,...)${cohort.filter ? ' or refresh it from its filter' : ''}`,
    );
  }
  if (!usable.length) {
    const first = unusable.slice(0, 3).map((p) => p.reason);
    throw new CohortEmptyError(
      `none of the ${members.length} members of cohort ${name} can be learned from: ${first.join('; ')}${unusable.length > 3 ? ` (and ${unusable.length - 3} more)` : ''}`,
    );
  }
  return usable;
}

/** cohort:get: the resolved cohort with its breakdown. */
export async function cohortDetail(db: Db, ref: CohortRef, options: ResolveOptions = {}): Promise<CohortDetail> {
  const r = await resolveCohort(db, ref, options);
  const rows = db
    .prepare(
      `SELECT s.modality, s.body_part, s.dim_x, s.dim_y, s.dim_z, s.spacing_x, s.spacing_y, s.spacing_z
       FROM cohort_members m JOIN series s
         ON s.id = m.series_id AND s.series_instance_uid = m.series_uid AND s.volume_key = m.volume_key
       WHERE m.cohort_id = ?`,
    )
    .all(r.cohort.id) as Record<string, string | number | null>[];
  const num = (v: string | number | null) => (typeof v === 'number' ? v : 0);
  const b: BreakdownRow[] = rows.map((x) => ({
    modality: String(x.modality ?? ''),
    bodyPart: String(x.body_part ?? ''),
    dims: [num(x.dim_x), num(x.dim_y), num(x.dim_z)],
    spacing: [num(x.spacing_x), num(x.spacing_y), num(x.spacing_z)],
  }));
  return {
    ...r.cohort,
    members: r.members,
    usable: r.usable,
    unusable: r.unusable,
    breakdown: breakdown(b),
    filesChecked: r.filesChecked,
    fingerprint: r.fingerprint,
  };
}
