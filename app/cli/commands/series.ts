// `voxelbase series list|ids|patients|studies [filters]` and `voxelbase series show ID`: the catalogue's series
// with ids, UIDs, key metadata, flags (with reasons) and status; every id matching a filter; the patient ->
// study grouping of the Library; --json for scripts. Every filter of the contract's series filter (modality,
// body part, text, date range, per-axis dimensions, voxel spacing, status, kind, usability, ids, patients,
// studies) has an option; bad values are refused by commander before any database is opened.
import { Command, InvalidArgumentError } from 'commander';
import type { SeriesFilter } from '../../contract/calls/series.js';
import type { PatientGroupPage, SeriesDetail, SeriesRow, StudyGroup } from '../../contract/types.js';
import { output, withServices } from '../context.js';

const collect = (v: string, prev: string[] = []) => [...prev, v];
const int = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('not a non-negative integer');
  return n;
};
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
/** A repeatable catalogue id option: `what` names it in the error ("series", "patient", "study"). */
const idsOf = (what: string) => (v: string, prev: number[] = []) => {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`"${v}" is not a ${what} id`);
  return [...prev, n];
};
const positive = idsOf('series');

/** The filter options every listing command takes (each filter of the contract's series filter). */
function filterOptions(cmd: Command): Command {
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
    .option('--id <n>', 'only this series id (repeatable)', positive)
    .option('--patient <n>', 'only series of this patient (catalogue id, as `series patients` lists; repeatable)', idsOf('patient'))
    .option('--study <n>', 'only series of this study (catalogue id, as `series studies` lists; repeatable)', idsOf('study'));
}

/** The contract's series filter from the parsed filter options. */
export function filterFrom(o: Record<string, unknown>): SeriesFilter {
  return {
    modality: o.modality as string[] | undefined,
    bodyPart: o.bodyPart as string[] | undefined,
    text: o.text as string | undefined,
    dateFrom: o.from as string | undefined,
    dateTo: o.to as string | undefined,
    status: o.status as SeriesFilter['status'],
    kind: o.kind as 'dicom' | 'nifti' | undefined,
    minDims: o.minDims as [number, number, number] | undefined,
    maxDims: o.maxDims as [number, number, number] | undefined,
    spacingMin: o.minSpacing as number | undefined,
    spacingMax: o.maxSpacing as number | undefined,
    usableForLearning: o.usable ? true : undefined,
    ids: o.id as number[] | undefined,
    patientIds: o.patient as number[] | undefined,
    studyIds: o.study as number[] | undefined,
  };
}

export function registerSeries(program: Command): void {
  const series = program.command('series').description('list and inspect catalogued series');
  filterOptions(series.command('list').description('list series (filters combine with AND)'))
    .option('--sort <field>', 'id | date | modality | bodyPart | description | patient | slices | importedAt | seriesNumber', 'id')
    .option('--order <o>', 'asc | desc', 'asc')
    .option('--offset <n>', 'skip n rows', int, 0)
    .option('--limit <n>', 'at most n rows (max 1000)', int, 1000)
    .action(async (o: Record<string, unknown>, cmd: Command) => {
      const page = await withServices(cmd, (api) =>
        api.call('series:list', {
          filter: filterFrom(o),
          sort: o.sort as 'id',
          order: o.order as 'asc',
          offset: o.offset as number,
          limit: o.limit as number,
        }),
      );
      output(cmd, page, (p) => formatTable(p.rows, p.total));
    });
  filterOptions(series.command('ids').description('every series id matching the filters, one per line (for scripts and cohorts)'))
    .action(async (o: Record<string, unknown>, cmd: Command) => {
      const ids = await withServices(cmd, (api) => api.call('series:ids', { filter: filterFrom(o) }));
      output(cmd, ids, (list) => list.join('\n'));
    });
  filterOptions(series.command('patients').description('patients with matching series: studies, series, modalities, dates'))
    .option('--sort <field>', 'patient | date', 'patient')
    .option('--order <o>', 'asc | desc', 'asc')
    .option('--offset <n>', 'skip n patients', int, 0)
    .option('--limit <n>', 'at most n patients (max 1000)', int, 1000)
    .action(async (o: Record<string, unknown>, cmd: Command) => {
      const page = await withServices(cmd, (api) =>
        api.call('series:patients', {
          filter: filterFrom(o),
          sort: o.sort as 'patient',
          order: o.order as 'asc',
          offset: o.offset as number,
          limit: o.limit as number,
        }),
      );
      output(cmd, page, formatPatients);
    });
  filterOptions(series.command('studies').description("one patient's studies with matching series, newest first"))
    .argument('<patient>', 'patient (catalogue id, as `series patients` lists)', (v) => idsOf('patient')(v)[0])
    .action(async (patient: number, o: Record<string, unknown>, cmd: Command) => {
      const studies = await withServices(cmd, (api) => api.call('series:studies', { filter: filterFrom(o), patient }));
      output(cmd, studies, formatStudies);
    });
  series
    .command('show')
    .description('one series: metadata, flags, files, not-stacked reasons, errors')
    .argument('<id>', 'series id', int)
    .action(async (id: number, _o: unknown, cmd: Command) => {
      const detail = await withServices(cmd, (api) => api.call('series:get', { id }));
      output(cmd, detail, formatDetail);
    });
}

export function formatPatients(page: PatientGroupPage): string {
  const head = ['id', 'patient ID', 'name', 'sex', 'born', 'studies', 'series', 'modalities', 'dates'];
  const body = page.rows.map((p) => [
    String(p.id),
    p.patientId || '-',
    p.name || '-',
    p.sex || '-',
    p.birthDate || '-',
    String(p.studyCount),
    String(p.seriesCount),
    p.modalities.join(',') || '-',
    p.dateFrom === p.dateTo ? p.dateFrom || '-' : `${p.dateFrom}..${p.dateTo}`,
  ]);
  return [...columns(head, body), `${page.rows.length} of ${page.total} patients, ${page.seriesTotal} series`].join('\n');
}

export function formatStudies(studies: StudyGroup[]): string {
  const head = ['id', 'date', 'series', 'modalities', 'accession', 'description', 'study UID'];
  const body = studies.map((s) => [
    String(s.id),
    s.date || '-',
    String(s.seriesCount),
    s.modalities.join(',') || '-',
    s.accession || '-',
    s.description || '-',
    s.uid,
  ]);
  return [...columns(head, body, 64), `${studies.length} studies`].join('\n');
}

/** Left-aligned text columns, each at most `max` characters wide. */
function columns(head: string[], body: string[][], max = 40): string[] {
  const widths = head.map((h, i) => Math.min(max, Math.max(h.length, ...body.map((b) => b[i].length))));
  const line = (cells: string[]) => cells.map((c, i) => c.slice(0, max).padEnd(widths[i])).join('  ').trimEnd();
  return [line(head), ...body.map(line)];
}

const fmtDims = (d: number[]) => d.join('x');
const fmtSpacing = (s: number[]) => s.map((v) => +v.toFixed(3)).join('x');

export function formatTable(rows: SeriesRow[], total: number): string {
  const head = ['id', 'modality', 'dims', 'spacing mm', 'status', 'usable', 'flags', 'description', 'patient'];
  const body = rows.map((r) => [
    String(r.id),
    r.modality || (r.kind === 'nifti' ? 'NIfTI' : ''),
    fmtDims(r.dims),
    fmtSpacing(r.spacing),
    r.status,
    r.usableForLearning ? 'yes' : 'no',
    r.flags.map((f) => f.code).join(',') || '-',
    r.description,
    r.patient.patientId,
  ]);
  const [headLine, ...lines] = columns(head, body);
  // UIDs are too long for a column (NIfTI series carry their path): each row gets a second, indented line.
  const uids = (r: SeriesRow) =>
    `    series UID ${r.seriesUid}${r.volumeKey ? ` (volume ${r.volumeKey})` : ''}  study UID ${r.study.uid}`;
  return [headLine, ...rows.flatMap((r, i) => [lines[i], uids(r)]), `${rows.length} of ${total} series`].join('\n');
}

export function formatDetail(d: SeriesDetail): string {
  const lines = [
    `series ${d.id} (${d.kind}) ${d.status}${d.usableForLearning ? '' : ` - not usable for learning: ${d.unusableReason}`}`,
    `  series UID   ${d.seriesUid}${d.volumeKey ? ` (volume ${d.volumeKey})` : ''}`,
    `  study        ${d.study.uid} ${d.study.date} ${d.study.description}`,
    `  patient      ${d.patient.patientId} ${d.patient.name} ${d.patient.sex} ${d.patient.birthDate}`.trimEnd(),
    `  modality     ${d.modality} ${d.bodyPart}  ${d.manufacturer}`.trimEnd(),
    `  description  ${d.description}`,
    `  date         ${d.date}`,
    `  dims         ${fmtDims(d.dims)}  spacing ${fmtSpacing(d.spacing)} mm  orientation ${d.orientation}${d.oblique ? ' (oblique)' : ''}`,
    `  slices       ${d.sliceCount} from ${d.fileCount} files; transfer syntaxes ${d.transferSyntaxes.join(', ')}`,
    `  affine       ${d.affine.map((r) => `[${r.map((v) => +v.toFixed(4)).join(', ')}]`).join(' ')}`,
  ];
  if (d.window) lines.push(`  window       centre ${d.window.center} width ${d.window.width}`);
  for (const f of d.flags) lines.push(`  flag         ${f.code}: ${f.reason}`);
  for (const r of d.notStacked) lines.push(`  not stacked  ${r}`);
  for (const e of d.errors) lines.push(`  error        ${e.reason}: ${e.message}`);
  lines.push('  files:');
  for (const f of d.files.slice(0, 20)) lines.push(`    ${f.path}${f.frame ? ` #${f.frame}` : ''}${f.missing ? ' (missing)' : ''}`);
  if (d.files.length > 20) lines.push(`    ... ${d.files.length - 20} more`);
  return lines.join('\n');
}
