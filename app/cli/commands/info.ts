// `voxelbase info`: version, data folder, catalogue counts, platform, and which onnxruntime execution
// providers work here (each one tried with a tiny session).
import type { Command } from 'commander';
import type { InfoResult } from '../../contract/types.js';
import { output, withServices } from '../context.js';

export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('show version, data folder, catalogue counts and working execution providers')
    .action(async (_opts: unknown, cmd: Command) => {
      const info = await withServices(cmd, (api) => api.call('app:info', {}));
      output(cmd, info, formatInfo);
    });
}

export function formatInfo(i: InfoResult): string {
  const p = i.platform;
  const lines = [
    `Voxelbase ${i.version}`,
    `data folder   ${i.dataDir}`,
    `catalogue     ${i.catalogue.patients} patients, ${i.catalogue.studies} studies, ${i.catalogue.series} series, ${i.catalogue.files} files`,
    `platform      ${p.os} ${p.arch}, node ${p.node}${p.electron ? `, electron ${p.electron}` : ''}, ${p.cpus} CPUs, ${p.memoryGiB} GiB`,
    'providers',
    ...i.providers.map((x) => `  ${x.works ? 'yes' : 'no '}  ${x.name.padEnd(8)} ${x.detail ?? ''}`.trimEnd()),
  ];
  return lines.join('\n');
}
