// The cohorts and cohort_members tables (migration 005): finding a cohort by id or name, creating, renaming,
// describing and deleting one, and changing its member set. Every change is one transaction; names are checked by
// the contract's rule (cohortNameProblem) and are unique by cohortNameKey. Counts in a summary come from the
// members' learning verdicts (member-rows.ts). Pure SQL, no file access.
import type { Db } from '../catalogue/database.js';
import type { CohortSummary, SeriesFilter } from '../../contract/types/cohort.js';
import { cohortNameKey, cohortNameProblem, normalizeCohortName, quoteCohortName } from '../../contract/calls/cohort.js';
import { NotFoundError } from '../../contract/errors.js';
import { CohortExistsError, CohortNameError } from './errors.js';
import { memberProblem, memberRows, type MemberRow } from './member-rows.js';

export type CohortRef = number | string;

interface CohortDbRow {
  id: number;
  name: string;
  description: string;
  filter: string | null;
  created_at: string;
  updated_at: string;
  resolved_at: string | null;
}

const SUMMARY_SELECT = 'SELECT id, name, description, filter, created_at, updated_at, resolved_at FROM cohorts';

/** The summary of a cohort row; its counts from its members' verdicts (member-rows.ts). */
function summaryOf(r: CohortDbRow, members: readonly MemberRow[]): CohortSummary {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    filter: r.filter === null ? null : (JSON.parse(r.filter) as SeriesFilter),
    memberCount: members.length,
    usableCount: members.filter((m) => memberProblem(m) === null).length,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    resolvedAt: r.resolved_at,
  };
}

const now = () => new Date().toISOString();

/** A valid name (normalised) or CohortNameError. */
export function checkedName(raw: string): string {
  const problem = cohortNameProblem(raw);
  if (problem) throw new CohortNameError(`${problem}: ${quoteCohortName(raw)}`);
  return normalizeCohortName(raw);
}

export function listCohorts(db: Db): CohortSummary[] {
  const byCohort = new Map<number, MemberRow[]>();
  for (const m of memberRows(db, null)) {
    const list = byCohort.get(m.cohortId);
    if (list) list.push(m);
    else byCohort.set(m.cohortId, [m]);
  }
  const rows = db.prepare(`${SUMMARY_SELECT} ORDER BY name_key, id`).all() as CohortDbRow[];
  return rows.map((r) => summaryOf(r, byCohort.get(r.id) ?? []));
}

/** The cohort with this id (number) or name (string, compared as names are: case-insensitively); NotFoundError. */
export function findCohort(db: Db, ref: CohortRef): CohortSummary {
  let row: CohortDbRow | undefined;
  if (typeof ref === 'number') row = db.prepare(`${SUMMARY_SELECT} WHERE id = ?`).get(ref) as CohortDbRow | undefined;
  else {
    row = db.prepare(`${SUMMARY_SELECT} WHERE name_key = ?`).get(cohortNameKey(ref)) as CohortDbRow | undefined;
    // A name is never all digits, so "12" (as typed on a command line) names cohort 12.
    if (!row && /^\d{1,15}$/.test(ref.trim())) row = db.prepare(`${SUMMARY_SELECT} WHERE id = ?`).get(Number(ref)) as CohortDbRow | undefined;
  }
  if (!row) throw new NotFoundError(typeof ref === 'number' ? `no cohort with id ${ref}` : `no cohort named ${quoteCohortName(ref)}`);
  return summaryOf(row, memberRows(db, row.id));
}

function assertNameFree(db: Db, name: string, exceptId?: number): void {
  const other = db.prepare('SELECT id, name FROM cohorts WHERE name_key = ?').get(cohortNameKey(name)) as { id: number; name: string } | undefined;
  if (other && other.id !== exceptId) {
    throw new CohortExistsError(`a cohort named ${quoteCohortName(other.name)} already exists (names are compared ignoring case)`);
  }
}

/** Series rows for new members: id, UID, volume key; NotFoundError naming the ids not in the catalogue. */
export function seriesKeys(db: Db, ids: readonly number[]): { id: number; uid: string; volumeKey: string }[] {
  if (!ids.length) return [];
  const rows = db
    .prepare(`SELECT id, series_instance_uid AS uid, volume_key AS volumeKey FROM series WHERE id IN (SELECT value FROM json_each(?))`)
    .all(JSON.stringify(ids)) as { id: number; uid: string; volumeKey: string }[];
  if (rows.length !== new Set(ids).size) {
    const found = new Set(rows.map((r) => r.id));
    const missing = [...new Set(ids)].filter((id) => !found.has(id));
    throw new NotFoundError(`no series with id${missing.length > 1 ? 's' : ''} ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? ` (and ${missing.length - 20} more)` : ''}`);
  }
  return rows;
}

/** Stored member ids of a cohort, ascending. */
export function memberIds(db: Db, cohortId: number): number[] {
  return db.prepare('SELECT series_id FROM cohort_members WHERE cohort_id = ? ORDER BY series_id').pluck().all(cohortId) as number[];
}

export function createCohort(
  db: Db,
  spec: { name: string; description?: string; filter: SeriesFilter | null; memberIds: readonly number[] },
): CohortSummary {
  const name = checkedName(spec.name);
  return db.transaction(() => {
    assertNameFree(db, name);
    const t = now();
    const { lastInsertRowid } = db
      .prepare(
        `INSERT INTO cohorts (name, name_key, description, filter, created_at, updated_at, resolved_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(name, cohortNameKey(name), spec.description ?? '', spec.filter ? JSON.stringify(spec.filter) : null, t, t, spec.filter ? t : null);
    const id = Number(lastInsertRowid);
    insertMembers(db, id, spec.memberIds, t);
    return findCohort(db, id);
  })();
}

function insertMembers(db: Db, cohortId: number, ids: readonly number[], t: string): number[] {
  const insert = db.prepare(
    `INSERT INTO cohort_members (cohort_id, series_id, series_uid, volume_key, added_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (cohort_id, series_id) DO NOTHING`,
  );
  const added: number[] = [];
  for (const s of seriesKeys(db, ids)) if (insert.run(cohortId, s.id, s.uid, s.volumeKey, t).changes) added.push(s.id);
  return added.sort((a, b) => a - b);
}

export function renameCohort(db: Db, ref: CohortRef, newName: string): CohortSummary {
  const name = checkedName(newName);
  return db.transaction(() => {
    const c = findCohort(db, ref);
    assertNameFree(db, name, c.id);
    db.prepare('UPDATE cohorts SET name = ?, name_key = ?, updated_at = ? WHERE id = ?').run(name, cohortNameKey(name), now(), c.id);
    return findCohort(db, c.id);
  })();
}

export function describeCohort(db: Db, ref: CohortRef, description: string): CohortSummary {
  return db.transaction(() => {
    const c = findCohort(db, ref);
    db.prepare('UPDATE cohorts SET description = ?, updated_at = ? WHERE id = ?').run(description, now(), c.id);
    return findCohort(db, c.id);
  })();
}

export function deleteCohort(db: Db, ref: CohortRef): CohortSummary {
  return db.transaction(() => {
    const c = findCohort(db, ref);
    db.prepare('DELETE FROM cohorts WHERE id = ?').run(c.id);
    return c;
  })();
}

export interface MemberChange {
  cohort: CohortSummary;
  added: number[];
  removed: number[];
  unchanged: number[];
}

export function addMembers(db: Db, ref: CohortRef, ids: readonly number[]): MemberChange {
  return db.transaction(() => {
    const c = findCohort(db, ref);
    const added = insertMembers(db, c.id, ids, now());
    const addedSet = new Set(added);
    if (added.length) db.prepare('UPDATE cohorts SET updated_at = ? WHERE id = ?').run(now(), c.id);
    return { cohort: findCohort(db, c.id), added, removed: [], unchanged: sortedUnique(ids).filter((id) => !addedSet.has(id)) };
  })();
}

export function removeMembers(db: Db, ref: CohortRef, ids: readonly number[]): MemberChange {
  return db.transaction(() => {
    const c = findCohort(db, ref);
    const del = db.prepare('DELETE FROM cohort_members WHERE cohort_id = ? AND series_id = ?');
    const removed = sortedUnique(ids).filter((id) => del.run(c.id, id).changes > 0);
    const removedSet = new Set(removed);
    if (removed.length) db.prepare('UPDATE cohorts SET updated_at = ? WHERE id = ?').run(now(), c.id);
    return { cohort: findCohort(db, c.id), added: [], removed, unchanged: sortedUnique(ids).filter((id) => !removedSet.has(id)) };
  })();
}

/** Makes `ids` the members (a refresh from the filter): adds the new ones, removes the others, in one transaction. */
export function replaceMembers(db: Db, cohortId: number, ids: readonly number[]): MemberChange {
  return db.transaction(() => {
    const before = new Set(memberIds(db, cohortId));
    const after = new Set(ids);
    const t = now();
    const added = insertMembers(db, cohortId, [...after].filter((id) => !before.has(id)), t);
    const del = db.prepare('DELETE FROM cohort_members WHERE cohort_id = ? AND series_id = ?');
    const removed = [...before].filter((id) => !after.has(id)).sort((a, b) => a - b);
    for (const id of removed) del.run(cohortId, id);
    db.prepare('UPDATE cohorts SET updated_at = ?, resolved_at = ? WHERE id = ?').run(t, t, cohortId);
    return { cohort: findCohort(db, cohortId), added, removed, unchanged: [] };
  })();
}

function sortedUnique(ids: readonly number[]): number[] {
  return [...new Set(ids)].sort((a, b) => a - b);
}
