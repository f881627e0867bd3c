// `voxelbase augment-preview SERIES --out DIR [--seed N] [--box DxHxW] [--spacing MM]`: writes both augmented
// views of one sample of a series (preprocessed first when needed) as PNGs of their three orthogonal middle
// slices (view1-axial.png ... view2-sagittal.png) and preview.json (what each view drew, the window).
import fs from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { output, withServices } from '../context.js';
import { spacingArg } from './preprocess.js';

const AXES = ['axial', 'coronal', 'sagittal'] as const;

const boxArg = (v: string): [number, number, number] => {
  const n = v.trim().split(/\s*[x,]\s*/i).map((p) => (/^\d+$/.test(p) ? Number(p) : NaN));
  if (n.length !== 3 || n.some((x) => !Number.isSafeInteger(x) || x < 4 || x > 512)) throw new InvalidArgumentError(`"${v}" is not a box DxHxW of sizes 4 to 512 (e.g. 64x64x64)`);
  return n as [number, number, number];
};
const uint = (v: string): number => {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n > 2 ** 32 - 1) throw new InvalidArgumentError(`"${v}" is not a seed (0 to 2^32-1)`);
  return n;
};

export function registerAugmentPreview(program: Command): void {
  program
    .command('augment-preview')
    .description('write an augmented pair of one series (middle slices of view 1 and view 2) as PNG files')
    .argument('<series>', 'series id', (v) => {
      const n = uint(v);
      if (n < 1) throw new InvalidArgumentError('series ids start at 1');
      return n;
    })
    .requiredOption('--out <dir>', 'folder for the PNG files and preview.json')
    .option('--seed <n>', 'random seed of the sample (default 0)', uint, 0)
    .option('--box <DxHxW>', 'input box (default 64x64x64)', boxArg)
    .option('--spacing <mm>', 'preprocessing voxel size in mm (default 2)', spacingArg)
    .action(async (series: number, o: { out: string; seed: number; box?: [number, number, number]; spacing?: number | [number, number, number] }, cmd: Command) => {
      const p = await withServices(cmd, (api) =>
        api.call('data:augmentPreview', { series, seed: o.seed, box: o.box, settings: o.spacing !== undefined ? { spacing: o.spacing } : {} }),
      );
      const dir = path.resolve(o.out);
      fs.mkdirSync(dir, { recursive: true });
      const files: string[] = [];
      for (const view of ['view1', 'view2'] as const) {
        for (const axis of AXES) {
          const file = path.join(dir, `${view}-${axis}.png`);
          fs.writeFileSync(file, Buffer.from(p[view][axis].replace(/^data:image\/png;base64,/, ''), 'base64'));
          files.push(file);
        }
      }
      const meta = { seriesId: p.seriesId, seed: p.seed, box: p.box, window: p.window, source: p.source, view1: p.view1.draw, view2: p.view2.draw };
      fs.writeFileSync(path.join(dir, 'preview.json'), `${JSON.stringify(meta, null, 2)}\n`);
      output(cmd, { ...meta, files }, (m) =>
        [`series ${m.seriesId}, seed ${m.seed}: 6 images in ${dir}`, `  view 1 crop ${fmtCrop(m.view1.crop)}`, `  view 2 crop ${fmtCrop(m.view2.crop)}`].join('\n'),
      );
    });
}

function fmtCrop(c: { start: number[]; size: number[] }): string {
  return `${c.size.join('x')} voxels at ${c.start.join(',')}`;
}
