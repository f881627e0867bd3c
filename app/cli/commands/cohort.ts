// `voxelbase cohort create|list|show|add|remove|rename|describe|refresh|delete`: named sets of series over the
// cohort:* calls; --json for scripts. `create` takes the filters of `series list` (shared options,
// ../series-filter-options.ts) and/or --series ID,...; a cohort is named by its name or its id.
import type { Command } from 'commander';
import type { CohortChange, CohortDetail, CohortSummary, HistogramBin, FacetCount } from '../../contract/types.js';
import { describeSeriesFilter } from '../../contract/series-filter-text.js';
import { quoteCohortName } from '../../contract/calls/cohort.js';
import { output, withServices } from '../context.js';
import { addSeriesFilterOptions, seriesFilterFrom, seriesIds } from '../series-filter-options.js';

export function registerCohort(program: Command): void {
  const cohort = program.command('cohort').description('named sets of series (from a filter or a selection) to pretrain, embed and evaluate on');

  addSeriesFilterOptions(
    cohort
      .command('create')
      .description('create a cohort from the filters of `series list` and/or --series (with neither it starts empty)')
      .argument('<name>', 'cohort name (unique, case-insensitive)'),
  )
    .option('--series <ids>', 'these series ids too (comma-separated, repeatable)', seriesIds)
    .option('--description <text>', 'a note on what the cohort is for')
    .action(async (name: string, o: Record<string, unknown>, cmd: Command) => {
      const filter = seriesFilterFrom(o);
      const hasFilter = Object.keys(filter).length > 0;
      const detail = await withServices(cmd, (api) =>
        api.call('cohort:create', {
          name,
          description: (o.description as string | undefined) ?? '',
          filter: hasFilter ? filter : undefined,
          seriesIds: o.series as number[] | undefined,
        }),
      );
      output(cmd, detail, (d) => `created cohort ${d.id}\n${formatDetail(d)}`);
    });

  cohort
    .command('list')
    .description('every cohort with its member counts')
    .action(async (_o: unknown, cmd: Command) => {
      const list = await withServices(cmd, (api) => api.call('cohort:list', {}));
      output(cmd, list, formatList);
    });

  cohort
    .command('show')
    .description('one cohort: members, unusable members with reasons, breakdown, content fingerprint')
    .argument('<cohort>', 'cohort name or id')
    .option('--no-check-files', "trust the catalogue: do not stat the members' files (no fingerprint)")
    .action(async (ref: string, o: { checkFiles: boolean }, cmd: Command) => {
      const detail = await withServices(cmd, (api) => api.call('cohort:get', { cohort: ref, checkFiles: o.checkFiles }));
      output(cmd, detail, formatDetail);
    });

  for (const [verb, call, help] of [
    ['add', 'cohort:add', 'add series to a cohort'],
    ['remove', 'cohort:remove', 'remove series from a cohort (they stay in the catalogue)'],
  ] as const) {
    cohort
      .command(verb)
      .description(help)
      .argument('<cohort>', 'cohort name or id')
      .requiredOption('--series <ids>', 'series ids (comma-separated, repeatable)', seriesIds)
      .action(async (ref: string, o: { series: number[] }, cmd: Command) => {
        const change = await withServices(cmd, (api) => api.call(call, { cohort: ref, seriesIds: o.series }));
        output(cmd, change, formatChange);
      });
  }

  cohort
    .command('refresh')
    .description("re-resolve a cohort's filter: its members become the series matching it now")
    .argument('<cohort>', 'cohort name or id')
    .action(async (ref: string, _o: unknown, cmd: Command) => {
      const change = await withServices(cmd, (api) => api.call('cohort:refresh', { cohort: ref }));
      output(cmd, change, formatChange);
    });

  cohort
    .command('rename')
    .description('rename a cohort')
    .argument('<cohort>', 'cohort name or id')
    .argument('<new-name>', 'the new name')
    .action(async (ref: string, name: string, _o: unknown, cmd: Command) => {
      const summary = await withServices(cmd, (api) => api.call('cohort:rename', { cohort: ref, name }));
      output(cmd, summary, (s) => `cohort ${s.id} is now named ${quoteCohortName(s.name)}`);
    });

  cohort
    .command('describe')
    .description("set a cohort's description")
    .argument('<cohort>', 'cohort name or id')
    .argument('<text>', 'the description')
    .action(async (ref: string, description: string, _o: unknown, cmd: Command) => {
      const summary = await withServices(cmd, (api) => api.call('cohort:describe', { cohort: ref, description }));
      output(cmd, summary, (s) => `cohort ${quoteCohortName(s.name)}: ${s.description}`);
    });

  cohort
    .command('delete')
    .description('delete a cohort (its series stay in the catalogue)')
    .argument('<cohort>', 'cohort name or id')
    .action(async (ref: string, _o: unknown, cmd: Command) => {
      const summary = await withServices(cmd, (api) => api.call('cohort:delete', { cohort: ref }));
      output(cmd, summary, (s) => `deleted cohort ${quoteCohortName(s.name)} (${s.memberCount} members); its series stay in the catalogue`);
    });
}

export function formatList(list: CohortSummary[]): string {
  if (!list.length) return 'no cohorts yet: voxelbase cohort create NAME [filters of series list] [--series ID,...]';
  const head = ['id', 'name', 'members', 'usable', 'from', 'updated'];
  const body = list.map((c) => [String(c.id), c.name, String(c.memberCount), String(c.usableCount), describeSeriesFilter(c.filter), c.updatedAt.slice(0, 16).replace('T', ' ')]);
  const widths = head.map((h, i) => Math.min(48, Math.max(h.length, ...body.map((b) => b[i].length))));
  const line = (cells: string[]) => cells.map((c, i) => (c.length > 48 ? `${c.slice(0, 47)}…` : c).padEnd(widths[i])).join('  ').trimEnd();
  return [line(head), ...body.map(line)].join('\n');
}

/** 1,2,3,5,7,8,9 -> '1-3, 5, 7-9'. */
export function idRanges(ids: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < ids.length; ) {
    let j = i;
    while (j + 1 < ids.length && ids[j + 1] === ids[j] + 1) j++;
    out.push(j > i ? `${ids[i]}-${ids[j]}` : String(ids[i]));
    i = j + 1;
  }
  return out.join(', ');
}

const facets = (f: FacetCount[]) => f.map((x) => `${x.value} ${x.count}`).join(', ') || '-';
const bins = (b: HistogramBin[]) => b.map((x) => `${x.label}: ${x.count}`).join(', ') || '-';

export function formatDetail(d: CohortDetail): string {
  const lines = [
    `cohort ${d.id} ${quoteCohortName(d.name)}: ${d.memberCount} members, ${d.usable.length} usable for learning`,
    ...(d.description ? [`  description  ${d.description}`] : []),
    `  from         ${describeSeriesFilter(d.filter)}${d.resolvedAt ? ` (resolved ${d.resolvedAt})` : ''}`,
    `  members      ${idRanges(d.members) || '(none)'}`,
    `  modality     ${facets(d.breakdown.modality)}`,
    `  body part    ${facets(d.breakdown.bodyPart)}`,
    `  matrix       ${facets(d.breakdown.matrix)}`,
    `  slices       ${bins(d.breakdown.slices)}`,
    `  in-plane     ${bins(d.breakdown.inPlaneSpacing)}`,
    `  slice gap    ${bins(d.breakdown.sliceSpacing)}`,
    `  fingerprint  ${d.fingerprint ?? '(files not checked)'}`,
  ];
  if (d.unusable.length) {
    lines.push(`  not usable (${d.unusable.length}):`);
    for (const p of d.unusable) lines.push(`    ${p.id}  ${p.code}  ${p.reason}`);
  }
  if (!d.memberCount) lines.push('  (empty: add series with voxelbase cohort add NAME --series ID,...)');
  return lines.join('\n');
}

export function formatChange(c: CohortChange): string {
  const parts = [];
  if (c.added.length) parts.push(`added ${idRanges(c.added)}`);
  if (c.removed.length) parts.push(`removed ${idRanges(c.removed)}`);
  if (c.unchanged.length) parts.push(`unchanged ${idRanges(c.unchanged)}`);
  return `cohort ${quoteCohortName(c.cohort.name)}: ${parts.join('; ') || 'no change'}; now ${c.cohort.memberCount} members (${c.cohort.usableCount} usable)`;
}
