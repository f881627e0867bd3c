// Writes every series touched by an import run as NIfTI into a folder, in the import worker pool
// (`voxelbase import DIR --export-nifti OUT`: catalogue and convert in one go, as dcm2niix converts).
// File names: <seriesId>_<description>.nii[.gz], description reduced to [A-Za-z0-9_-].
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../catalogue/database.js';
import type { SeriesSource } from './series-source.js';
import type { ImportWorkerPool } from './worker-pool.js';

export interface ExportedSeries {
  id: number;
  out: string;
  dims?: number[];
  error?: string;
}

export async function exportRunSeries(
  db: Db,
  pool: ImportWorkerPool,
  run: number,
  outDir: string,
  gzip = false,
): Promise<ExportedSeries[]> {
  const rows = db
    .prepare(`SELECT id, description, plan FROM series WHERE run_id = ? AND plan IS NOT NULL AND status <> 'failed' ORDER BY id`)
    .all(run) as { id: number; description: string | null; plan: string }[];
  fs.mkdirSync(outDir, { recursive: true });
  return Promise.all(
    rows.map(async (r) => {
      const name = `${r.id}_${(r.description ?? '').replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 60)}.nii${gzip ? '.gz' : ''}`;
      const out = path.join(path.resolve(outDir), name);
      try {
        const res = await pool.run<{ dims: number[] }>({
          type: 'export',
          source: JSON.parse(r.plan) as SeriesSource,
          out,
          description: r.description ?? '',
        });
        return { id: r.id, out, dims: res.dims };
      } catch (err) {
        return { id: r.id, out, error: (err as Error).message };
      }
    }),
  );
}
