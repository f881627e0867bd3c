// The patient -> study -> series view as one flat, virtualisable list of rows: patients page by page from
// `series:patients` (like SeriesPages), a patient's studies from `series:studies` when it is expanded, a study's
// series from `series:list` (filter + studyIds) when it is expanded. Only expanded nodes cost anything, so 10,000
// patients scroll like 10,000 series. Row i is found by walking the expanded patients in index order (few).
// Patient pages come from the same PagedRows as the flat table's series.
// Pure apart from the injected fetches; a new query (filter, sort) starts over with everything collapsed.
import type { PatientGroup, PatientGroupPage, SeriesPage, SeriesRow, StudyGroup } from '../../../../app/contract/types.js';
import { messageOf } from '../../api/errors.js';
import { PagedRows } from './series-pages.js';

export interface TreeFetch {
  patients(offset: number, limit: number): Promise<PatientGroupPage>;
  studies(patient: number): Promise<StudyGroup[]>;
  series(study: number, offset: number, limit: number): Promise<SeriesPage>;
}

/** One row of the flattened tree; `index` is its patient's position in the patient list. */
export type TreeRow =
  | { kind: 'patient'; index: number; patient: PatientGroup | undefined; expanded: boolean }
  | { kind: 'study'; index: number; patient: PatientGroup; study: StudyGroup | undefined; expanded: boolean }
  | { kind: 'series'; index: number; patient: PatientGroup; study: StudyGroup; row: SeriesRow | undefined };

interface Expanded {
  index: number;
  patient: PatientGroup;
  studies: StudyGroup[] | null;
  /** Open studies: their series once loaded (null while loading). */
  open: Map<number, SeriesRow[] | null>;
}

const SERIES_PAGE = 1000;

export class TreeModel {
  #fetch: TreeFetch;
  #onChange: () => void;
  readonly #patients: PagedRows<PatientGroup, PatientGroupPage>;
  #expanded = new Map<number, Expanded>(); // by patient id
  #generation = 0;
  #error: string | null = null;

  constructor(fetch: TreeFetch, onChange: () => void, pageSize = 200) {
    this.#fetch = fetch;
    this.#onChange = onChange;
    this.#patients = new PagedRows(fetch.patients, onChange, pageSize);
  }

  get pageSize(): number {
    return this.#patients.pageSize;
  }

  /** Patients matching the query (null until the first page arrives). */
  get total(): number | null {
    return this.#patients.total;
  }

  /** Their matching series. */
  get seriesTotal(): number | null {
    return this.#patients.last?.seriesTotal ?? null;
  }

  get error(): string | null {
    return this.#error ?? this.#patients.error;
  }

  /** Start over with another query (filter or sort changed): everything collapses. */
  reset(fetch: TreeFetch): void {
    this.#fetch = fetch;
    this.#generation++;
    this.#patients.reset(fetch.patients);
    this.#expanded.clear();
    this.#error = null;
  }

  #patient(index: number): PatientGroup | undefined {
    return this.#patients.row(index);
  }

  /** Rows under an expanded patient (its studies, and the series of its open studies). */
  #size(e: Expanded): number {
    let n = e.studies ? e.studies.length : e.patient.studyCount;
    for (const s of e.studies ?? []) if (e.open.has(s.id)) n += s.seriesCount;
    return n;
  }

  #sortedExpanded(): Expanded[] {
    return [...this.#expanded.values()].sort((a, b) => a.index - b.index);
  }

  /** Number of rows in the flattened tree. */
  get count(): number {
    if (this.total === null) return 0;
    let n = this.total;
    for (const e of this.#expanded.values()) n += this.#size(e);
    return n;
  }

  /** Row `i` of the flattened tree (undefined parts are still loading). */
  row(i: number): TreeRow {
    let extra = 0;
    for (const e of this.#sortedExpanded()) {
      const at = e.index + extra;
      if (i <= at) break;
      const sub = i - at - 1;
      const size = this.#size(e);
      if (sub < size) return this.#inside(e, sub);
      extra += size;
    }
    const index = i - extra;
    const patient = this.#patient(index);
    return { kind: 'patient', index, patient, expanded: patient ? this.#expanded.has(patient.id) : false };
  }

  #inside(e: Expanded, sub: number): TreeRow {
    const base = { index: e.index, patient: e.patient };
    if (!e.studies) return { kind: 'study', ...base, study: undefined, expanded: false };
    let k = sub;
    for (const study of e.studies) {
      if (k === 0) return { kind: 'study', ...base, study, expanded: e.open.has(study.id) };
      k--;
      if (e.open.has(study.id)) {
        if (k < study.seriesCount) return { kind: 'series', ...base, study, row: e.open.get(study.id)?.[k] };
        k -= study.seriesCount;
      }
    }
    return { kind: 'study', ...base, study: undefined, expanded: false };
  }

  /** Flattened index of a patient's row (for keeping focus on it after a collapse). */
  indexOfPatient(patientIndex: number): number {
    let extra = 0;
    for (const e of this.#sortedExpanded()) {
      if (e.index >= patientIndex) break;
      extra += this.#size(e);
    }
    return patientIndex + extra;
  }

  /** Make sure the patients of rows [start, end) are loaded or loading. */
  ensure(start: number, end: number): Promise<void> {
    return this.#patients.ensure(this.row(Math.max(0, start)).index, this.row(Math.max(0, end - 1)).index + 1);
  }

  isExpanded(patient: number, study?: number): boolean {
    const e = this.#expanded.get(patient);
    if (!e) return false;
    return study === undefined ? true : e.open.has(study);
  }

  /** Expand or collapse a patient (its studies load on first expansion). */
  async togglePatient(index: number): Promise<void> {
    const patient = this.#patient(index);
    if (!patient) return;
    if (this.#expanded.has(patient.id)) {
      this.#expanded.delete(patient.id);
      this.#onChange();
      return;
    }
    const e: Expanded = { index, patient, studies: null, open: new Map() };
    this.#expanded.set(patient.id, e);
    this.#onChange();
    const gen = this.#generation;
    try {
      const studies = await this.#fetch.studies(patient.id);
      if (gen !== this.#generation || this.#expanded.get(patient.id) !== e) return;
      e.studies = studies;
      // One study: open it at once (a click less for the common case).
      if (studies.length === 1) void this.toggleStudy(patient.id, studies[0].id);
    } catch (err) {
      if (gen !== this.#generation) return;
      this.#expanded.delete(patient.id);
      this.#error = messageOf(err);
    }
    this.#onChange();
  }

  /** Expand or collapse a study of an expanded patient (its series load on first expansion). */
  async toggleStudy(patient: number, study: number): Promise<void> {
    const e = this.#expanded.get(patient);
    const s = e?.studies?.find((x) => x.id === study);
    if (!e || !s) return;
    if (e.open.has(study)) {
      e.open.delete(study);
      this.#onChange();
      return;
    }
    e.open.set(study, null);
    this.#onChange();
    const gen = this.#generation;
    try {
      const rows: SeriesRow[] = [];
      for (let offset = 0; offset < s.seriesCount; offset += SERIES_PAGE) {
        const page = await this.#fetch.series(study, offset, SERIES_PAGE);
        rows.push(...page.rows);
        if (page.rows.length < SERIES_PAGE) break;
      }
      if (gen !== this.#generation || !e.open.has(study)) return;
      s.seriesCount = rows.length; // the catalogue may have changed since the count (an import finished)
      e.open.set(study, rows);
    } catch (err) {
      if (gen !== this.#generation) return;
      e.open.delete(study);
      this.#error = messageOf(err);
    }
    this.#onChange();
  }
}
