// The cohort domain's errors (declared by name in contract/errors.ts WIRE_ERRORS).
import { VoxelbaseError } from '../../contract/errors.js';

/** A cohort name that breaks the naming rule (contract/calls/cohort.ts cohortNameProblem); the message says which part. */
export class CohortNameError extends VoxelbaseError {}
/** A cohort name already taken (names are compared case-insensitively). */
export class CohortExistsError extends VoxelbaseError {}
/** Something needs members and the cohort has none, or none that can be learned from (the message says why). */
export class CohortEmptyError extends VoxelbaseError {}
