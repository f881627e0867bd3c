// The cohort domain's public module: what pretraining, embedding, evaluation, the CLI and the composition root use.
// Everything else in this folder is private to cohorts.
//
//   resolveCohort(db, idOrName, {checkFiles = true}) -> Promise<ResolvedCohort>
//       { cohort, members: ids, usable: ids, unusable: [{id, seriesUid, description, code, reason}], filesChecked,
//         fingerprint }: the catalogue's learning verdict for every member, then (checkFiles) each member's source
//       files stat'ed on disk (gone or resized -> unusable) and the members' content fingerprint. A training run
//       records `members` and `fingerprint`.
//   requireUsableMembers(resolved) -> usable ids, or CohortEmptyError (no members; none usable, with reasons)
//   seriesFingerprint(db, seriesIds) -> Promise<string>: the same fingerprint for an explicit list of series
//   membersFingerprint(members)   the pure hash (fingerprint.ts documents what it covers)
//   cohortHandlers(ctx)           the cohort:* calls
//   CohortEmptyError, CohortExistsError, CohortNameError
export { cohortHandlers } from './handlers.js';
export { resolveCohort, requireUsableMembers, type ResolvedCohort, type ResolveOptions } from './resolve-cohort.js';
export { seriesFingerprint } from './series-fingerprint.js';
export { membersFingerprint, FINGERPRINT_VERSION, type FingerprintMember } from './fingerprint.js';
export { findCohort, listCohorts, type CohortRef } from './cohort-store.js';
export { CohortEmptyError, CohortExistsError, CohortNameError } from './errors.js';
