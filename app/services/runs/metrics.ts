// Per-step metrics of a run in the catalogue (table `run_metrics`): appended as the trainer reports steps, read back
// thinned for charts, and cut back to a checkpoint's step when a run resumes (the steps after it are trained again
// and, with the same seed, give the same values).
import type { Db } from '../catalogue/database.js';
import type { RunMetric, RunMetricsPage } from '../../contract/types/runs.js';

interface MetricRow {
  step: number;
  loss: number;
  collapse_std: number | null;
  lr: number;
  tau: number;
  step_ms: number;
  wait_ms: number;
  rss_mb: number;
  elapsed: number;
}

const fromRow = (r: MetricRow): RunMetric => ({
  step: r.step,
  loss: r.loss,
  collapseStd: r.collapse_std,
  lr: r.lr,
  tau: r.tau,
  stepMs: r.step_ms,
  waitMs: r.wait_ms,
  rssMb: r.rss_mb,
  elapsed: r.elapsed,
});

/** Appends (or replaces) metrics of a run in one transaction. SQLite stores NaN as NULL: a diverged step's NaN loss
 *  is stored as Infinity, so the record still shows where it happened. */
export function appendMetrics(db: Db, run: number, metrics: readonly RunMetric[]): void {
  if (!metrics.length) return;
  const ins = db.prepare(
    `INSERT OR REPLACE INTO run_metrics (run_id, step, loss, collapse_std, lr, tau, step_ms, wait_ms, rss_mb, elapsed)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const finite = (v: number) => (Number.isNaN(v) ? Infinity : v);
  db.transaction(() => {
    for (const m of metrics) {
      ins.run(run, m.step, finite(m.loss), m.collapseStd === null || Number.isNaN(m.collapseStd) ? null : m.collapseStd, m.lr, m.tau, m.stepMs, m.waitMs, m.rssMb, m.elapsed);
    }
  })();
}

/** Metrics after `afterStep`, in step order, thinned evenly to at most `maxPoints` (the last step always kept). */
export function readMetrics(db: Db, run: number, afterStep = 0, maxPoints = 2000): RunMetricsPage {
  const { n } = db.prepare('SELECT count(*) AS n FROM run_metrics WHERE run_id = ? AND step > ?').get(run, afterStep) as { n: number };
  const { total } = db.prepare('SELECT count(*) AS total FROM run_metrics WHERE run_id = ?').get(run) as { total: number };
  let rows: MetricRow[];
  if (n <= maxPoints) {
    rows = db.prepare('SELECT * FROM run_metrics WHERE run_id = ? AND step > ? ORDER BY step').all(run, afterStep) as MetricRow[];
  } else {
    const every = Math.ceil(n / maxPoints);
    rows = db
      .prepare(
        `SELECT * FROM (SELECT *, row_number() OVER (ORDER BY step) AS rn, count(*) OVER () AS cnt
           FROM run_metrics WHERE run_id = ? AND step > ?) WHERE (rn - 1) % ? = 0 OR rn = cnt ORDER BY step`,
      )
      .all(run, afterStep, every) as MetricRow[];
  }
  return { run, metrics: rows.map(fromRow), total };
}

/** Removes the metrics after `step` (a resumed run trains those steps again). */
export function truncateMetrics(db: Db, run: number, step: number): void {
  db.prepare('DELETE FROM run_metrics WHERE run_id = ? AND step > ?').run(run, step);
}

/** The metric of the last recorded step, if any. */
export function lastMetric(db: Db, run: number): RunMetric | null {
  const r = db.prepare('SELECT * FROM run_metrics WHERE run_id = ? ORDER BY step DESC LIMIT 1').get(run) as MetricRow | undefined;
  return r ? fromRow(r) : null;
}
