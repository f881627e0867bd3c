// What the cohort forms (Save as cohort, rename) say about a name as it is typed: the contract's naming rule
// (cohortNameProblem, the one the service applies) and whether another cohort already has it (compared as the
// service compares names: cohortNameKey). Pure, so it is unit-tested.
import { cohortNameKey, cohortNameProblem } from '../../../../app/contract/calls/cohort.js';
import type { CohortSummary, SeriesFilter } from '../../../../app/contract/types.js';

/** Why the name cannot be saved, or null. `exceptId`: the cohort being renamed (its own name is not taken). */
export function nameIssue(name: string, existing: readonly Pick<CohortSummary, 'id' | 'name'>[], exceptId?: number): string | null {
  const problem = cohortNameProblem(name);
  if (problem) return problem.charAt(0).toUpperCase() + problem.slice(1) + '.';
  const key = cohortNameKey(name);
  const other = existing.find((c) => c.id !== exceptId && cohortNameKey(c.name) === key);
  return other ? `“${other.name}” already exists (names are compared ignoring case).` : null;
}

/** "3 series", "1 series", "1,204 series". */
export function seriesCount(n: number): string {
  return `${n.toLocaleString()} series`;
}

/** The usable part of a count: "all usable", "2 usable, 1 not", "none usable". */
export function usableText(members: number, usable: number): string {
  if (members === 0) return 'empty';
  if (usable === members) return 'all usable for learning';
  if (usable === 0) return 'none usable for learning';
  return `${usable.toLocaleString()} usable, ${(members - usable).toLocaleString()} not`;
}

/**
 * What "Save as cohort" saves from: the Library's current filter, how many series are selected, whether the
 * selection is exactly the filter's match, and the selected ids on demand (the Library's SeriesSelection).
 */
export interface CohortSource {
  readonly filter: SeriesFilter;
  readonly count: number;
  readonly wholeFilter: boolean;
  resolve(): Promise<number[]>;
}
