// `voxelbase info`: version, data folder, catalogue counts, platform, which onnxruntime execution
// providers work here (each one tried with a tiny session), and the conv plans training tuned on this machine.
import type { Command } from 'commander';
import type { ConvPlanInfo, InfoResult } from '../../contract/types.js';
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
    ...(i.convPlans.length ? i.convPlans.flatMap(formatConvPlan) : [`conv plan     none tuned yet (the first training run on the CPU tunes one into ${i.tuningDir})`]),
  ];
  return lines.join('\n');
}

const ms = (t: number | string): string => (typeof t === 'number' ? `${t} ms` : t);

/** A plan's header line and one line per conv signature: the chosen formulation, then every candidate's time. */
export function formatConvPlan(p: ConvPlanInfo): string[] {
  const counts = new Map<string, number>();
  for (const c of p.choices) counts.set(c.form, (counts.get(c.form) ?? 0) + 1);
  const summary = [...counts].map(([f, n]) => `${f} x${n}`).join(', ');
  return [
    `conv plan     ${p.threads} threads, ${p.choices.length} signatures tuned in ${(p.tuningMs / 1000).toFixed(1)} s (${p.updatedAt})${p.nchwcBlock ? `, NCHWc block ${p.nchwcBlock}` : ''}: ${summary}`,
    `  key         ${p.machine}`,
    ...p.choices.map((c) => `  ${c.form.padEnd(14)} ${c.signature}  [${Object.entries(c.times).map(([f, t]) => `${f} ${ms(t)}`).join(', ')}]`),
  ];
}
