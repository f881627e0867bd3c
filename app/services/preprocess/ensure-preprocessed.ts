// Brings a list of series into the preprocessing cache for one set of settings, in a pool of worker
// threads (one series per task), reporting progress, cancellable: the entry point of the `preprocess` job
// and of the trainer. Series that cannot be used fail alone, with their reason (the others go on); the
// run throws only when the list is empty or nothing could be preprocessed (for a single series, its own error).
// Cache layout: <dataDir>/preprocessed/<settingsKey>/<seriesId>.vxp, plus settings.json naming the settings.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Db } from '../catalogue/database.js';
import type { PreprocessFailure, PreprocessProgressDetail, PreprocessResult, PreprocessedEntry } from '../../contract/types/data.js';
import { CancelledError, PreprocessError } from '../../contract/errors.js';
import { TaskPool } from '../../platform/task-pool.js';
import { writeFileAtomicSync } from '../../platform/atomic-write.js';
import { pidAlive } from '../../platform/pid-alive.js';
import { resolveSettings, settingsKey, type PreprocessSettingsInput } from './settings.js';
import { seriesInputs, type SeriesInput } from './series-input.js';
import type { PreprocessTask, PreprocessTaskResult } from './preprocess-series.js';

export interface EnsureOptions {
  settings?: PreprocessSettingsInput;
  signal?: AbortSignal;
  onProgress?: (detail: PreprocessProgressDetail) => void;
  /** Worker threads (default: the cores, at most 4; never more than the series). */
  workers?: number;
}

export function preprocessDir(dataDir: string, key: string): string {
  return path.join(dataDir, 'preprocessed', key);
}

export function cacheFilePath(dataDir: string, key: string, seriesId: number): string {
  return path.join(preprocessDir(dataDir, key), `${seriesId}.vxp`);
}

export async function ensurePreprocessed(ctx: { dataDir: string; db: Db }, seriesIds: readonly number[], opts: EnsureOptions = {}): Promise<PreprocessResult> {
  const t0 = performance.now();
  const settings = resolveSettings(opts.settings);
  const key = settingsKey(settings);
  const ids = [...new Set(seriesIds)];
  if (!ids.length) throw new PreprocessError('nothing to preprocess: the cohort or series list is empty');
  opts.signal?.throwIfAborted();
  const dir = preprocessDir(ctx.dataDir, key);
  fs.mkdirSync(dir, { recursive: true });
  removeDeadTemps(dir);
  writeSettingsNote(dir, settings);

  const failed: PreprocessFailure[] = [];
  const errors = new Map<number, Error>();
  const byId = new Map<number, PreprocessedEntry>();
  const detail: PreprocessProgressDetail = { step: 'preprocess', reused: 0, computed: 0, failed: 0, total: ids.length, bytesRead: 0 };
  const fail = (seriesId: number, e: unknown) => {
    const err = e instanceof Error ? e : new Error(String(e));
    errors.set(seriesId, err);
    failed.push({ seriesId, name: err.name, message: err.message });
    detail.failed++;
  };
  const inputs: SeriesInput[] = [];
  seriesInputs(ctx.db, ids).forEach((r, i) => (r instanceof Error ? fail(ids[i], r) : inputs.push(r)));
  opts.onProgress?.({ ...detail });

  if (inputs.length) {
    const size = Math.max(1, Math.min(opts.workers ?? defaultWorkers(), inputs.length));
    const pool = new TaskPool<PreprocessTask, PreprocessTaskResult>(import.meta.url, '../../workers/preprocess-worker.js', { size, name: 'preprocess' });
    try {
      await Promise.all(
        inputs.map(async (input) => {
          try {
            const r = await pool.run({ input, settings, settingsKey: key, file: cacheFilePath(ctx.dataDir, key, input.seriesId) }, { signal: opts.signal });
            byId.set(input.seriesId, r.entry);
            if (r.reused) detail.reused++;
            else detail.computed++;
            detail.bytesRead += r.bytesRead;
          } catch (e) {
            if (opts.signal?.aborted) return;
            fail(input.seriesId, e);
          }
          opts.onProgress?.({ ...detail });
        }),
      );
    } finally {
      await pool.close();
    }
  }
  if (opts.signal?.aborted) throw new CancelledError('preprocessing cancelled');
  const entries = ids.map((id) => byId.get(id)).filter((e): e is PreprocessedEntry => e !== undefined);
  const order = new Map(ids.map((id, i) => [id, i]));
  failed.sort((a, b) => order.get(a.seriesId)! - order.get(b.seriesId)!);
  if (!entries.length) {
    // One series asked: its own error (NotFoundError, SourceFilesMissingError ...); several: a summary.
    if (ids.length === 1 && errors.has(ids[0])) throw errors.get(ids[0])!;
    const first = failed[0];
    throw new PreprocessError(`none of the ${ids.length} series could be preprocessed${first ? `: ${first.message}` : ''}`);
  }
  return {
    settings,
    settingsKey: key,
    entries,
    reused: detail.reused,
    computed: detail.computed,
    failed,
    bytesRead: detail.bytesRead,
    seconds: (performance.now() - t0) / 1000,
  };
}

function defaultWorkers(): number {
  const n = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(4, n));
}

/** Temporary files of writers that died (a killed process, a terminated worker's process) are removed; those of
 * live processes (`<name>.<random>.<thread>.<pid>.tmp`, platform/atomic-write.ts) are left alone. */
function removeDeadTemps(dir: string): void {
  for (const f of fs.readdirSync(dir)) {
    const m = /\.(\d+)\.tmp$/.exec(f);
    if (m && !pidAlive(Number(m[1]))) fs.rmSync(path.join(dir, f), { force: true });
  }
}

/** settings.json beside the cache files: which settings a folder holds (for people; never read back). */
function writeSettingsNote(dir: string, settings: object): void {
  const file = path.join(dir, 'settings.json');
  if (fs.existsSync(file)) return;
  writeFileAtomicSync(file, Buffer.from(`${JSON.stringify(settings, null, 2)}\n`));
}
