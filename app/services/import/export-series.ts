// Names of the NIfTI files `voxelbase import DIR --export-nifti OUT` writes (the import's workers write
// them from the same volume load that makes the thumbnails, as dcm2niix converts a folder), and the
// list of what a run exported. File name: <seriesId>_<description reduced to [A-Za-z0-9_-]>.nii[.gz].
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../catalogue/database.js';

export function exportName(id: number, description: string, gzip: boolean): string {
  return `${id}_${description.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 60)}.nii${gzip ? '.gz' : ''}`;
}

export interface ExportedSeries {
  id: number;
  out: string;
  written: boolean;
}

/** The series a run touched and whether their NIfTI file is in `dir`. */
export function exportedBy(db: Db, run: number, dir: string, gzip: boolean): ExportedSeries[] {
  const rows = db
    .prepare(`SELECT id, description FROM series WHERE run_id = ? ORDER BY id`)
    .all(run) as { id: number; description: string | null }[];
  return rows.map((r) => {
    const out = path.join(path.resolve(dir), exportName(r.id, r.description ?? '', gzip));
    return { id: r.id, out, written: fs.existsSync(out) };
  });
}
