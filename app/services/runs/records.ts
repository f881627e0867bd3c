// Run records in the catalogue (table `runs`, migration 007): create, read, update as training goes, and tell
// live runs from dead ones. A run is live when this process trains it (activeRuns) or another live process owns
// it (owner_pid); a 'running' or 'paused' row without a live owner is reported and stored as 'interrupted'.
import type { Db } from '../catalogue/database.js';
import { NotFoundError } from '../../contract/errors.js';
import type { PretrainConfig, RunCheckpointRef, RunHardware, RunRecord, RunState } from '../../contract/types/runs.js';
import { pidAlive } from '../../platform/pid-alive.js';

/** Runs this process is training right now. */
const activeRuns = new Set<number>();

interface RunRow {
  id: number;
  name: string;
  state: RunState;
  cohort: string | null;
  data: string | null;
  config: string;
  provider: string;
  hardware: string;
  step: number;
  total_steps: number;
  last_loss: number | null;
  checkpoint: string | null;
  job_id: string | null;
  owner_pid: number | null;
  message: string | null;
  created_at: string;
  ended_at: string | null;
}

function fromRow(r: RunRow): RunRecord {
  return {
    id: r.id,
    name: r.name,
    state: r.state,
    cohort: r.cohort ? (JSON.parse(r.cohort) as RunRecord['cohort']) : null,
    data: r.data ? (JSON.parse(r.data) as RunRecord['data']) : null,
    config: JSON.parse(r.config) as PretrainConfig,
    provider: r.provider,
    hardware: JSON.parse(r.hardware) as RunHardware,
    step: r.step,
    totalSteps: r.total_steps,
    createdAt: r.created_at,
    endedAt: r.ended_at,
    job: r.job_id,
    lastLoss: r.last_loss,
    checkpoint: r.checkpoint ? (JSON.parse(r.checkpoint) as RunCheckpointRef) : null,
    message: r.message,
  };
}

export interface NewRun {
  name: string;
  cohort: RunRecord['cohort'];
  config: PretrainConfig;
  hardware: RunHardware;
}

/** Inserts a run in state 'running', owned by this process. */
export function createRun(db: Db, run: NewRun): RunRecord {
  const now = new Date().toISOString();
  const info = db
    .prepare(
      `INSERT INTO runs (name, state, cohort, config, hardware, total_steps, owner_pid, created_at, updated_at)
       VALUES (?, 'running', ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(run.name, run.cohort ? JSON.stringify(run.cohort) : null, JSON.stringify(run.config), JSON.stringify(run.hardware), run.config.steps, process.pid, now, now);
  const id = Number(info.lastInsertRowid);
  activeRuns.add(id);
  return getRun(db, id);
}

/** Every run, newest first (dead 'running'/'paused' rows marked 'interrupted' first). */
export function listRuns(db: Db): RunRecord[] {
  markInterruptedRuns(db);
  return (db.prepare('SELECT * FROM runs ORDER BY id DESC').all() as RunRow[]).map(fromRow);
}

export function getRun(db: Db, id: number): RunRecord {
  markInterruptedRuns(db, id);
  const row = db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
  if (!row) throw new NotFoundError(`no training run with id ${id}`);
  return fromRow(row);
}

/** Whether a live process (this one or another) is training the run now. */
export function isRunLive(db: Db, id: number): boolean {
  const row = db.prepare('SELECT state, owner_pid FROM runs WHERE id = ?').get(id) as { state: RunState; owner_pid: number | null } | undefined;
  if (!row || (row.state !== 'running' && row.state !== 'paused')) return false;
  if (row.owner_pid === process.pid) return activeRuns.has(id);
  return row.owner_pid !== null && pidAlive(row.owner_pid);
}

/** Takes over a stopped run in this process (state 'running'): for a resume. */
export function claimRun(db: Db, id: number, job: string | null): void {
  db.prepare(`UPDATE runs SET state = 'running', owner_pid = ?, job_id = ?, ended_at = NULL, message = NULL, updated_at = ? WHERE id = ?`).run(
    process.pid,
    job,
    new Date().toISOString(),
    id,
  );
  activeRuns.add(id);
}

export type RunUpdate = Partial<{
  state: RunState;
  provider: string;
  hardware: RunHardware;
  data: NonNullable<RunRecord['data']>;
  step: number;
  lastLoss: number | null;
  checkpoint: RunCheckpointRef | null;
  job: string | null;
  message: string | null;
}>;

const COLUMNS: Record<keyof RunUpdate, [string, (v: never) => unknown]> = {
  state: ['state', (v: RunState) => v],
  provider: ['provider', (v: string) => v],
  hardware: ['hardware', (v: RunHardware) => JSON.stringify(v)],
  data: ['data', (v: object) => JSON.stringify(v)],
  step: ['step', (v: number) => v],
  lastLoss: ['last_loss', (v: number | null) => (v === null || Number.isFinite(v) ? v : null)],
  checkpoint: ['checkpoint', (v: RunCheckpointRef | null) => (v ? JSON.stringify(v) : null)],
  job: ['job_id', (v: string | null) => v],
  message: ['message', (v: string | null) => v],
};

/** Updates some fields; an ended state sets ended_at and releases the run from this process. */
export function updateRun(db: Db, id: number, u: RunUpdate): void {
  const sets: string[] = [];
  const values: unknown[] = [];
  for (const [k, v] of Object.entries(u) as [keyof RunUpdate, never][]) {
    if (v === undefined) continue;
    const [col, enc] = COLUMNS[k];
    sets.push(`${col} = ?`);
    values.push(enc(v));
  }
  const ended = u.state !== undefined && u.state !== 'running' && u.state !== 'paused';
  if (ended) {
    sets.push('ended_at = ?');
    values.push(new Date().toISOString());
  }
  sets.push('updated_at = ?');
  values.push(new Date().toISOString());
  db.prepare(`UPDATE runs SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
  if (ended) activeRuns.delete(id);
}

/** Stores 'interrupted' for 'running'/'paused' runs (all, or one) that no live process trains. */
export function markInterruptedRuns(db: Db, only?: number, isAlive: (pid: number) => boolean = pidAlive): number[] {
  const rows = (
    only === undefined
      ? db.prepare(`SELECT id, owner_pid FROM runs WHERE state IN ('running','paused')`).all()
      : db.prepare(`SELECT id, owner_pid FROM runs WHERE state IN ('running','paused') AND id = ?`).all(only)
  ) as { id: number; owner_pid: number | null }[];
  const dead = rows
    .filter((r) => (r.owner_pid === process.pid ? !activeRuns.has(r.id) : r.owner_pid === null || !isAlive(r.owner_pid)))
    .map((r) => r.id);
  const upd = db.prepare(
    `UPDATE runs SET state = 'interrupted', ended_at = ?, updated_at = ?,
       message = 'the process training this run ended before it finished; resume it from its last checkpoint'
     WHERE id = ? AND state IN ('running','paused')`,
  );
  const now = new Date().toISOString();
  for (const id of dead) upd.run(now, now, id);
  return dead;
}
