// Row counts shown by `app:info`. Tables come from migration 002; only series marked complete count
// as series (a half-imported one is not part of the catalogue yet).
import type { Db } from './database.js';
import type { InfoResult } from '../../contract/types.js';

export type CatalogueCounts = InfoResult['catalogue'];

export function catalogueCounts(db: Db): CatalogueCounts {
  const row = db
    .prepare(
      `SELECT
         (SELECT count(*) FROM patients) AS patients,
         (SELECT count(*) FROM studies)  AS studies,
         (SELECT count(*) FROM series WHERE status = 'complete') AS series,
         (SELECT count(*) FROM files WHERE missing_at IS NULL)   AS files`,
    )
    .get() as CatalogueCounts;
  return { patients: row.patients, studies: row.studies, series: row.series, files: row.files };
}
