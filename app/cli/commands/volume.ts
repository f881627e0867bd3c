// `voxelbase volume export SERIES --out FILE.nii[.gz] [--volume N]`: the assembled volume as NIfTI
// (how volumes are checked against dcm2niix, and what users feed other tools); `voxelbase volume voxel SERIES
// I J K`: one voxel's real value and RAS position (what the viewer's readout shows).
import { Command, InvalidArgumentError } from 'commander';
import { output, withServices } from '../context.js';
import { exportSeriesVolume } from '../../services/series/index.js';
import type { SeriesVoxel } from '../../contract/types.js';

const int = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('not a non-negative integer');
  return n;
};

const seriesId = (v: string) => {
  const n = int(v);
  if (n < 1) throw new InvalidArgumentError('series ids start at 1');
  return n;
};

export function registerVolume(program: Command): void {
  const volume = program.command('volume').description('assembled volumes of catalogued series');
  volume
    .command('export')
    .description('write a series as NIfTI (.nii or .nii.gz) with sform and qform')
    .argument('<series>', 'series id', seriesId)
    .requiredOption('--out <file>', 'output file, .nii or .nii.gz')
    .option('--volume <n>', 'only this volume of a 4-D series (0-based)', int)
    .action(async (id: number, o: { out: string; volume?: number }, cmd: Command) => {
      const res = await withServices(cmd, (_api, services) => exportSeriesVolume(services.db, id, o.out, o.volume));
      output(cmd, res, (r) => `series ${r.id} -> ${r.out} (${r.dims.join('x')} ${r.datatype})`);
    });
  volume
    .command('voxel')
    .description("one voxel's real value (rescale applied: HU for CT) and its RAS+ position in mm")
    .argument('<series>', 'series id', seriesId)
    .argument('<i>', 'voxel index along the first axis (0-based, as the exported NIfTI)', int)
    .argument('<j>', 'voxel index along the second axis', int)
    .argument('<k>', 'voxel index along the third axis', int)
    .option('--volume <n>', 'volume of a 4-D series (0-based)', int, 0)
    .action(async (id: number, i: number, j: number, k: number, o: { volume: number }, cmd: Command) => {
      const res = await withServices(cmd, (api) => api.call('series:voxel', { id, voxel: [i, j, k], volume: o.volume }));
      output(cmd, res, formatVoxel);
    });
}

export function formatVoxel(v: SeriesVoxel): string {
  const mm = v.ras.map((x) => x.toFixed(2)).join(', ');
  return `series ${v.id} voxel [${v.voxel.join(', ')}]${v.volume ? ` volume ${v.volume}` : ''}: ${v.value} at RAS (${mm}) mm`;
}
