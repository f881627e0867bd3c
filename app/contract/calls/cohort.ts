// cohort:* calls: create a cohort from a series filter and/or series ids, list, get (members, unusable members with
// reasons, breakdown, fingerprint), rename, add/remove series, refresh from its filter, delete. A cohort is named
// by its id or its name (`cohort`: a number is an id, a string a name; names are never all digits).
// The name rule lives here (pure) so that the service, the CLI and the renderer's form apply the same one.
import { z } from 'zod';
import { call } from '../define.js';
import { seriesFilterSchema } from './series.js';
import type { CohortChange, CohortDetail, CohortSummary } from '../types/cohort.js';

export const COHORT_NAME_MAX = 80;
export const COHORT_MEMBERS_MAX = 100_000;

/** The name as stored: Unicode NFC, surrounding white space removed. */
export function normalizeCohortName(raw: string): string {
  return raw.normalize('NFC').trim();
}

/** The key names are unique under: NFKC (ＣＴ = CT), lower case, runs of white space as one space. */
export function cohortNameKey(name: string): string {
  return normalizeCohortName(name).normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ');
}

/**
 * Why a (normalised) name is refused, or null. Names are shown in lists, logs and the CLI, so nothing that hides
 * or reorders text is accepted: no control or format characters (bidi overrides, zero-width), no line breaks; a
 * leading '-' would read as a CLI option and an all-digits name as a cohort id.
 */
export function cohortNameProblem(raw: string): string | null {
  const name = normalizeCohortName(raw);
  if (!name) return 'a cohort name cannot be empty';
  if ([...name].length > COHORT_NAME_MAX) return `a cohort name has at most ${COHORT_NAME_MAX} characters (this one has ${[...name].length})`;
  const bad = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/u.exec(name);
  if (bad) {
    const cp = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    return `a cohort name cannot contain control, format or unassigned characters (U+${cp} at position ${bad.index + 1})`;
  }
  if (/[^\S ]/u.test(name)) return 'a cohort name cannot contain tabs, line breaks or white space other than plain spaces';
  if (name.startsWith('-')) return "a cohort name cannot start with '-' (it would read as a command-line option)";
  if (/^\d+$/.test(name)) return 'a cohort name cannot be only digits (numbers name cohorts by id)';
  return null;
}

/**
 * A name (possibly hostile) quoted for a message: JSON-quoted, at most 100 characters, with every control, format,
 * private-use or unassigned character and line separator written as \u{…}, so that an error message that names a
 * refused name cannot itself reorder or hide text.
 */
export function quoteCohortName(raw: string): string {
  const cut = [...raw].slice(0, 100).join('');
  const quoted = JSON.stringify(cut).replace(/[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/gu, (c) => `\\u{${c.codePointAt(0)!.toString(16).toUpperCase()}}`);
  return [...raw].length > 100 ? `${quoted}…` : quoted;
}

/** A cohort by id (number) or name (string). */
export const cohortRef = z.union([z.number().int().positive(), z.string().min(1).max(1000)]);

const seriesIds = z.array(z.number().int().positive()).max(COHORT_MEMBERS_MAX);
const name = z.string().max(1000);

export const cohortCalls = {
  /** Every cohort with its counts, by name. */
  'cohort:list': call<CohortSummary[]>()(z.object({}).strict()),
  /**
   * One cohort: members, usable members, unusable members with reasons, breakdown; with `checkFiles` (default) the
   * members' source files are checked on disk and the content fingerprint is computed.
   */
  'cohort:get': call<CohortDetail>()(z.object({ cohort: cohortRef, checkFiles: z.boolean().default(true) }).strict()),
  /**
   * A new cohort: the series matching `filter` (kept, for cohort:refresh) together with `seriesIds`. With neither it
   * starts empty. Refused: a bad or taken name (CohortNameError, CohortExistsError), unknown series ids (NotFoundError).
   */
  'cohort:create': call<CohortDetail>()(
    z
      .object({
        name,
        description: z.string().max(2000).default(''),
        filter: seriesFilterSchema.optional(),
        seriesIds: seriesIds.optional(),
      })
      .strict(),
  ),
  'cohort:rename': call<CohortSummary>()(z.object({ cohort: cohortRef, name }).strict()),
  /** Sets the description. */
  'cohort:describe': call<CohortSummary>()(z.object({ cohort: cohortRef, description: z.string().max(2000) }).strict()),
  /** Adds series (unknown ids are refused, ids already members are reported unchanged). */
  'cohort:add': call<CohortChange>()(z.object({ cohort: cohortRef, seriesIds: seriesIds.min(1) }).strict()),
  /** Removes series (ids that are not members are reported unchanged). */
  'cohort:remove': call<CohortChange>()(z.object({ cohort: cohortRef, seriesIds: seriesIds.min(1) }).strict()),
  /** Re-resolves the cohort's filter: the members become the series matching it now (NotSupportedError without one). */
  'cohort:refresh': call<CohortChange>()(z.object({ cohort: cohortRef }).strict()),
  /** Deletes the cohort (its series stay in the catalogue); returns what it was. */
  'cohort:delete': call<CohortSummary>()(z.object({ cohort: cohortRef }).strict()),
} as const;
