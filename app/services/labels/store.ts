// Labels in the catalogue: one value per (series, key), with where it came from; written in one transaction.
import type { Db } from '../catalogue/database.js';
import type { LabelKey } from '../../contract/types/labels.js';

export function writeLabels(db: Db, key: string, source: string, values: Map<number, string>): number {
  const now = new Date().toISOString();
  const stmt = db.prepare(
    `INSERT INTO labels (series_id, key, value, source, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(series_id, key) DO UPDATE SET value = excluded.value, source = excluded.source, updated_at = excluded.updated_at`,
  );
  db.transaction(() => {
    for (const [id, v] of values) stmt.run(id, key, v, source, now);
  })();
  return values.size;
}

/** series id -> value of one key. */
export function labelsOf(db: Db, key: string): Map<number, string> {
  const rows = db.prepare('SELECT series_id, value FROM labels WHERE key = ?').all(key) as { series_id: number; value: string }[];
  return new Map(rows.map((r) => [r.series_id, r.value]));
}

export function labelKeys(db: Db): LabelKey[] {
  const keys = db
    .prepare(`SELECT key, count(*) AS n, (SELECT source FROM labels l2 WHERE l2.key = l.key ORDER BY updated_at DESC LIMIT 1) AS source FROM labels l GROUP BY key ORDER BY key`)
    .all() as { key: string; n: number; source: string }[];
  return keys.map((k) => ({
    key: k.key,
    series: k.n,
    source: k.source,
    values: db
      .prepare('SELECT value, count(*) AS count FROM labels WHERE key = ? GROUP BY value ORDER BY count DESC, value LIMIT 50')
      .all(k.key) as { value: string; count: number }[],
  }));
}
