// cohort:*: named sets of series (a saved filter or a saved selection) that pretraining, embedding and
// evaluation run on. A cohort keeps the filter it came from and its resolved members (the exact list at creation;
// cohort:refresh re-resolves the filter). Members that cannot be learned from stay members and are listed with the
// reason, never silently dropped.
import type { SeriesFilter } from '../calls/series.js';
import type { FacetCount } from './series.js';

export type { SeriesFilter };

export interface CohortSummary {
  id: number;
  /** Unique, compared case-insensitively (NFKC, lower case); see cohortNameProblem in calls/cohort.ts. */
  name: string;
  description: string;
  /** The series filter it was created from (series:list's filter), null for a selection of series. */
  filter: SeriesFilter | null;
  memberCount: number;
  /**
   * Members the catalogue's verdict allows to learn from (3-D, imported, not failed, no files missing at the last
   * import). cohort:get also checks the files on disk, so its `usable` can be fewer.
   */
  usableCount: number;
  createdAt: string;
  updatedAt: string;
  /** When the members were last resolved from the filter (creation or refresh), null for a selection. */
  resolvedAt: string | null;
}

/** A member that cannot be learned from, and why. */
export interface CohortMemberProblem {
  /** Series id (of the catalogue at the time it was added, when the series is gone). */
  id: number;
  seriesUid: string;
  /** Series description ('' when gone from the catalogue). */
  description: string;
  /**
   * 'not-usable': 2-D, colour, failed at import, still importing ... (SeriesNotUsableError for a trainer);
   * 'files-missing': source files gone or changed since import (SourceFilesMissingError);
   * 'gone': the series is no longer in the catalogue.
   */
  code: 'not-usable' | 'files-missing' | 'gone';
  /** A sentence naming the series and the reason. */
  reason: string;
}

/** One bar of a histogram over a numeric property of the members. */
export interface HistogramBin {
  /** e.g. '1-1.5 mm', '< 32'. */
  label: string;
  /** [lo, hi): hi null for the open last bin. */
  lo: number;
  hi: number | null;
  count: number;
}

/** What the members are made of (over the members still in the catalogue). */
export interface CohortBreakdown {
  modality: FacetCount[];
  bodyPart: FacetCount[];
  /** In-plane voxel size (the larger of x, y), mm. */
  inPlaneSpacing: HistogramBin[];
  /** Slice spacing (z), mm. */
  sliceSpacing: HistogramBin[];
  /** In-plane matrix, 'X x Y', most frequent first. */
  matrix: FacetCount[];
  /** Slices (z voxels). */
  slices: HistogramBin[];
}

export interface CohortDetail extends CohortSummary {
  /** Every member's series id, ascending. */
  members: number[];
  /** Members that can be learned from. */
  usable: number[];
  /** Members that cannot, each with its reason (ascending id). */
  unusable: CohortMemberProblem[];
  breakdown: CohortBreakdown;
  /** Whether the members' source files were checked on disk (existence and size) for this answer. */
  filesChecked: boolean;
  /**
   * Content fingerprint of the members (sha256 hex over series UIDs and their files' sizes and mtimes on disk; see
   * app/services/cohorts/fingerprint.ts), null when files were not checked.
   */
  fingerprint: string | null;
}

/** What an add, remove or refresh changed. */
export interface CohortChange {
  cohort: CohortSummary;
  /** Series ids that became members. */
  added: number[];
  /** Series ids that stopped being members. */
  removed: number[];
  /** Asked-for ids that changed nothing (already members for add, not members for remove). */
  unchanged: number[];
}
