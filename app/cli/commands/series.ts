// `voxelbase series list|ids|patients|studies [filters]` and `voxelbase series show ID`: the catalogue's series
// with ids, UIDs, key metadata, flags (with reasons) and status; every id matching a filter; the patient ->
// study grouping of the Library; --json for scripts. Every filter of the contract's series filter has an option
// (../series-filter-options.ts, shared with `cohort create`); bad values are refused by commander before any
// database is opened.
import { Command, InvalidArgumentError } from 'commander';
import { NOT_IMPORTED_REASON_LABELS, type PatientGroupPage, type SeriesDetail, type SeriesRow, type StudyGroup } from '../../contract/types.js';
import { output, withServices } from '../context.js';
import { addSeriesFilterOptions, idsOf, seriesFilterFrom } from '../series-filter-options.js';

const int = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('not a non-negative integer');
  return n;
};

export function registerSeries(program: Command): void {
  const series = program.command('series').description('list and inspect catalogued series');
  addSeriesFilterOptions(series.command('list').description('list series (filters combine with AND)'))
    .option('--sort <field>', 'id | date | modality | bodyPart | description | patient | slices | importedAt | seriesNumber', 'id')
    .option('--order <o>', 'asc | desc', 'asc')
    .option('--offset <n>', 'skip n rows', int, 0)
    .option('--limit <n>', 'at most n rows (max 1000)', int, 1000)
    .action(async (o: Record<string, unknown>, cmd: Command) => {
      const page = await withServices(cmd, (api) =>
        api.call('series:list', {
          filter: seriesFilterFrom(o),
          sort: o.sort as 'id',
          order: o.order as 'asc',
          offset: o.offset as number,
          limit: o.limit as number,
        }),
      );
      output(cmd, page, (p) => formatTable(p.rows, p.total));
    });
  addSeriesFilterOptions(series.command('ids').description('every series id matching the filters, one per line (for scripts and cohorts)'))
    .action(async (o: Record<string, unknown>, cmd: Command) => {
      const ids = await withServices(cmd, (api) => api.call('series:ids', { filter: seriesFilterFrom(o) }));
      output(cmd, ids, (list) => list.join('\n'));
    });
  addSeriesFilterOptions(series.command('patients').description('patients with matching series: studies, series, modalities, dates'))
    .option('--sort <field>', 'patient | date', 'patient')
    .option('--order <o>', 'asc | desc', 'asc')
    .option('--offset <n>', 'skip n patients', int, 0)
    .option('--limit <n>', 'at most n patients (max 1000)', int, 1000)
    .action(async (o: Record<string, unknown>, cmd: Command) => {
      const page = await withServices(cmd, (api) =>
        api.call('series:patients', {
          filter: seriesFilterFrom(o),
          sort: o.sort as 'patient',
          order: o.order as 'asc',
          offset: o.offset as number,
          limit: o.limit as number,
        }),
      );
      output(cmd, page, formatPatients);
    });
  addSeriesFilterOptions(series.command('studies').description("one patient's studies with matching series, newest first"))
    .argument('<patient>', 'patient (catalogue id, as `series patients` lists)', (v) => idsOf('patient')(v)[0])
    .action(async (patient: number, o: Record<string, unknown>, cmd: Command) => {
      const studies = await withServices(cmd, (api) => api.call('series:studies', { filter: seriesFilterFrom(o), patient }));
      output(cmd, studies, formatStudies);
    });
  series
    .command('show')
    .description('one series: metadata, flags, files, not-stacked reasons, files not imported')
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
  return [...columns(head, body, 64), `${studies.length} ${studies.length === 1 ? 'study' : 'studies'}`].join('\n');
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
  for (const e of d.notImported) lines.push(`  not imported ${NOT_IMPORTED_REASON_LABELS[e.reason] ?? e.reason}: ${e.message}`);
  lines.push('  files:');
  for (const f of d.files.slice(0, 20)) lines.push(`    ${f.path}${f.frame ? ` #${f.frame}` : ''}${f.missing ? ' (missing)' : ''}`);
  if (d.files.length > 20) lines.push(`    ... ${d.files.length - 20} more`);
  return lines.join('\n');
}
