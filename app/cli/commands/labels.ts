// `voxelbase labels import FILE.csv [--column C] [--key K]`, `voxelbase labels from-dicom ATTRIBUTE [--key K]`,
// `voxelbase labels list`: labels per series for evaluation (voxelbase eval) and the Models screen's colours.
import { Command } from 'commander';
import type { LabelImportResult, LabelKey } from '../../contract/types/labels.js';
import { LABEL_ATTRIBUTES } from '../../contract/calls/labels.js';
import { output, withServices } from '../context.js';

function formatImport(r: LabelImportResult): string {
  const lines = [`keys ${r.keys.join(', ')}: ${r.matched} of ${r.rows} rows matched by ${r.matchedBy}, ${r.written} labels written`];
  for (const u of r.unmatched) lines.push(`  line ${u.line}: ${u.reason}`);
  return lines.join('\n');
}

function formatKeys(keys: LabelKey[]): string {
  if (!keys.length) return 'no labels yet (voxelbase labels import FILE.csv, or labels from-dicom ATTRIBUTE)';
  return keys
    .map((k) => `${k.key}: ${k.series} series, ${k.values.length} values (${k.values.slice(0, 6).map((v) => `${v.value} ${v.count}`).join(', ')}${k.values.length > 6 ? ', ...' : ''}) from ${k.source}`)
    .join('\n');
}

export function registerLabels(program: Command): void {
  const labels = program.command('labels').description('labels per series (for voxelbase eval and the Models screen)');
  labels
    .command('import')
    .description('labels from a CSV: a series_uid, source_path or series_id column, and one column per label key')
    .argument('<file>', 'CSV file')
    .option('--column <c>', 'only this column')
    .option('--key <k>', 'store the column under this key (default: its header)')
    .action(async (file: string, o: { column?: string; key?: string }, cmd: Command) => {
      const r = await withServices(cmd, (api) => api.call('labels:import', { path: file, column: o.column, key: o.key }));
      output(cmd, r, formatImport);
    });
  labels
    .command('from-dicom')
    .description(`a catalogued DICOM attribute as the label (${LABEL_ATTRIBUTES.join(', ')})`)
    .argument('<attribute>', 'DICOM keyword')
    .option('--key <k>', 'store under this key (default: the keyword)')
    .action(async (attribute: string, o: { key?: string }, cmd: Command) => {
      const r = await withServices(cmd, (api) => api.call('labels:fromAttribute', { attribute: attribute as 'Modality', key: o.key }));
      output(cmd, r, formatImport);
    });
  labels
    .command('list')
    .description('label keys with their values')
    .action(async (_o: unknown, cmd: Command) => {
      const keys = await withServices(cmd, (api) => api.call('labels:keys', {}));
      output(cmd, keys, formatKeys);
    });
}
