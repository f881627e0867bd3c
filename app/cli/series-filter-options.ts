// The series filter as command-line options, shared by `voxelbase series list` and `voxelbase cohort create`: one
// option per filter of the contract's series filter (modality, body part, text, date range, per-axis dimensions,
// voxel spacing, status, kind, usability, ids, patients, studies), their value parsers (bad values are refused by commander, with
// the option and the value, before any database is opened), and the filter object they make.
import { type Command, InvalidArgumentError } from 'commander';
import type { SeriesFilter } from '../contract/calls/series.js';

export const collect = (v: string, prev: string[] = []) => [...prev, v];
/** `256x256x20` (or `256,256,20`): per-axis voxel counts [x, y, z] for --min-dims / --max-dims. */
export const dims = (v: string): [number, number, number] => {
  const parts = v.trim().split(/\s*[x,]\s*/i);
  const n = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : NaN));
  if (n.length !== 3 || n.some((x) => !Number.isSafeInteger(x))) {
    throw new InvalidArgumentError(`"${v}" is not three non-negative integers X x Y x Z (e.g. 256x256x20)`);
  }
  return n as [number, number, number];
};
/** A voxel size in mm for --min-spacing / --max-spacing (the contract's bounds: 0 to 10000). */
export const mm = (v: string): number => {
  const n = v.trim() === '' ? NaN : Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 1e4) throw new InvalidArgumentError(`"${v}" is not a spacing in mm (0 to 10000)`);
  return n;
};
/** YYYY-MM-DD, a real calendar day, for --from / --to. */
export const day = (v: string): string => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v.trim());
  const d = m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : null;
  if (!m || !d || d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3]) {
    throw new InvalidArgumentError(`"${v}" is not a date YYYY-MM-DD`);
  }
  return v.trim();
};
/** A repeatable catalogue id option, one id per value: `what` names it in the error ("series", "patient", "study"). */
export const idsOf =
  (what: string) =>
  (v: string, prev: number[] = []): number[] => {
    const n = Number(v);
    if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`"${v}" is not a ${what} id`);
    return [...prev, n];
  };
/** Series ids: repeatable, each value one id or a comma-separated list (`--series 3,5,8`). */
export const seriesIds = (v: string, prev: number[] = []): number[] => {
  const out = [...prev];
  for (const part of v.split(',')) {
    const n = Number(part.trim());
    if (!/^\d+$/.test(part.trim()) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`"${part.trim()}" is not a series id`);
    out.push(n);
  }
  return out;
};

/** Adds every series filter option to `cmd`. */
export function addSeriesFilterOptions(cmd: Command): Command {
  return cmd
    .option('--modality <m>', 'modality (repeatable: --modality MR --modality CT)', collect)
    .option('--body-part <b>', 'body part (repeatable)', collect)
    .option('--text <t>', 'text in description, patient or UID')
    .option('--from <date>', 'series date from (YYYY-MM-DD, inclusive)', day)
    .option('--to <date>', 'series date to (YYYY-MM-DD, inclusive)', day)
    .option('--min-dims <XxYxZ>', 'at least this many voxels along each axis (e.g. 128x128x20)', dims)
    .option('--max-dims <XxYxZ>', 'at most this many voxels along each axis (e.g. 512x512x400)', dims)
    .option('--min-spacing <mm>', 'every voxel size at least this (mm)', mm)
    .option('--max-spacing <mm>', 'every voxel size at most this (mm)', mm)
    .option('--status <s>', 'importing | complete | missing-files | failed (repeatable)', collect)
    .option('--kind <k>', 'dicom | nifti')
    .option('--usable', 'only series usable for learning')
    .option('--id <n>', 'only this series id (repeatable)', idsOf('series'))
    .option('--patient <n>', 'only series of this patient (catalogue id, as `series patients` lists; repeatable)', idsOf('patient'))
    .option('--study <n>', 'only series of this study (catalogue id, as `series studies` lists; repeatable)', idsOf('study'));
}

/** The series filter the options of addSeriesFilterOptions give (options not given are left out). */
export function seriesFilterFrom(o: Record<string, unknown>): SeriesFilter {
  const filter: SeriesFilter = {
    modality: o.modality as string[] | undefined,
    bodyPart: o.bodyPart as string[] | undefined,
    text: o.text as string | undefined,
    dateFrom: o.from as string | undefined,
    dateTo: o.to as string | undefined,
    status: o.status as SeriesFilter['status'],
    kind: o.kind as SeriesFilter['kind'],
    minDims: o.minDims as [number, number, number] | undefined,
    maxDims: o.maxDims as [number, number, number] | undefined,
    spacingMin: o.minSpacing as number | undefined,
    spacingMax: o.maxSpacing as number | undefined,
    usableForLearning: o.usable ? true : undefined,
    ids: o.id as number[] | undefined,
    patientIds: o.patient as number[] | undefined,
    studyIds: o.study as number[] | undefined,
  };
  for (const k of Object.keys(filter) as (keyof SeriesFilter)[]) if (filter[k] === undefined) delete filter[k];
  return filter;
}
