// Writes a catalogued series' assembled volume as NIfTI (.nii or .nii.gz) with the imaging core's
// writeNifti (sform and qform from the assembly's affine, as dcm2niix writes them). A 4-D series is
// written whole unless one volume is asked for. CLI-only: a renderer never chooses where files go.
import path from 'node:path';
import fs from 'node:fs';
import type { Db } from '../catalogue/database.js';
import { writeNifti, type Volume } from '../imaging/index.js';
import { ValidationError } from '../../contract/errors.js';
import { loadSeriesVolume, pickVolume, sourceVolumeCount } from '../import/index.js';
import { seriesRowById, seriesSource } from './queries.js';

export interface ExportResult {
  id: number;
  out: string;
  dims: number[];
  datatype: string;
  volume: number | null;
}

export async function exportSeriesVolume(db: Db, id: number, out: string, volume?: number): Promise<ExportResult> {
  if (!/\.nii(\.gz)?$/i.test(out)) throw new ValidationError(`output ${out} must end in .nii or .nii.gz`);
  const r = seriesRowById(db, id);
  const src = seriesSource(r);
  const count = sourceVolumeCount(src);
  if (volume !== undefined && (volume < 0 || volume >= count)) {
    throw new ValidationError(`series ${id} has ${count} volume(s); --volume ${volume} does not exist`);
  }
  let vol: Volume;
  if (src.kind === 'nifti') {
    vol = await loadSeriesVolume(src, volume);
  } else {
    const all = await loadSeriesVolume(src);
    vol = volume === undefined ? all : pickVolume(all, volume);
  }
  const abs = path.resolve(out);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  await writeNifti(vol, abs, { description: (r.description ?? '').slice(0, 79) });
  return { id, out: abs, dims: vol.dims, datatype: vol.datatype, volume: volume ?? null };
}
