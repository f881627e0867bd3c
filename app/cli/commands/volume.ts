// `voxelbase volume export SERIES --out FILE.nii[.gz] [--volume N]`: the assembled volume as NIfTI
// (how volumes are checked against dcm2niix, and what users feed other tools).
import { Command, InvalidArgumentError } from 'commander';
import { output, withServices } from '../context.js';
import { exportSeriesVolume } from '../../services/series/index.js';

const int = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('not a non-negative integer');
  return n;
};

export function registerVolume(program: Command): void {
  const volume = program.command('volume').description('assembled volumes of catalogued series');
  volume
    .command('export')
    .description('write a series as NIfTI (.nii or .nii.gz) with sform and qform')
    .argument('<series>', 'series id', (v) => {
      const n = int(v);
      if (n < 1) throw new InvalidArgumentError('series ids start at 1');
      return n;
    })
    .requiredOption('--out <file>', 'output file, .nii or .nii.gz')
    .option('--volume <n>', 'only this volume of a 4-D series (0-based)', int)
    .action(async (id: number, o: { out: string; volume?: number }, cmd: Command) => {
      const res = await withServices(cmd, (_api, services) => exportSeriesVolume(services.db, id, o.out, o.volume));
      output(cmd, res, (r) => `series ${r.id} -> ${r.out} (${r.dims.join('x')} ${r.datatype})`);
    });
}
