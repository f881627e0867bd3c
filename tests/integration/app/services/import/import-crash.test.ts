// Crash safety: a `voxelbase import` child process is killed with SIGKILL mid-way (once while headers are
// being committed, once while series are being finished), then the import is run again. Afterwards no
// file or series exists twice, every series is complete, nothing half-imported was ever counted as
// complete, the killed run is marked interrupted and PRAGMA integrity_check is ok. Opening the services
// after the crash already redoes what the dead run left half-done (a recovery job), before any re-run.
// Data: 16 series x 40 slices written at test time from a real volume (mricron-data's Colin27 ch2.nii.gz,
// header attributes of pydicom's MR_small.dcm) by bench/make-dicom-series.py.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { PYDICOM, harness, tmpDir } from './helpers.js';

const COLIN = '/usr/share/mricron/templates/ch2.nii.gz';
const SERIES = 16;
const SLICES = 40;
let root: string;
let src: string;

beforeAll(() => {
  root = tmpDir('import-crash');
  src = path.join(root, 'studies');
  execFileSync('/usr/bin/python3', [
    'bench/make-dicom-series.py', 'many', COLIN, path.join(PYDICOM, 'MR_small.dcm'), src, String(SERIES), String(SLICES),
  ]);
}, 120_000);

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

function peek<T>(dbFile: string, sql: string): T | undefined {
  if (!fs.existsSync(dbFile)) return undefined;
  let db: Database.Database | undefined;
  try {
    db = new Database(dbFile, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 200');
    return db.prepare(sql).get() as T;
  } catch {
    return undefined; // tables not created yet, or busy
  } finally {
    db?.close();
  }
}

/** Starts the CLI import and SIGKILLs it as soon as `killWhen` holds; resolves with what it saw then. */
function importAndKill(dataDir: string, killWhen: string): Promise<{ killed: boolean; seen: number }> {
  const dbFile = path.join(dataDir, 'catalogue.sqlite');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/voxelbase.js', '--json', '--data-dir', dataDir, 'import', src], {
      env: { ...process.env, VOXELBASE_FROM_SOURCE: '1' },
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    let seen = 0;
    let killed = false;
    const timer = setInterval(() => {
      const row = peek<{ n: number }>(dbFile, killWhen);
      if (row && row.n > 0) {
        seen = row.n;
        killed = child.kill('SIGKILL');
        clearInterval(timer);
      }
    }, 10);
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearInterval(timer);
      resolve({ killed: killed && signal === 'SIGKILL', seen });
    });
  });
}

describe.each([
  ['while headers are being committed', `SELECT count(*) AS n FROM files HAVING count(*) >= 200`],
  ['while series are being finished', `SELECT count(*) AS n FROM series WHERE status = 'complete'`],
])('kill -9 of `voxelbase import` %s, then a re-run', (_label, killWhen) => {
  it('leaves no duplicates, every series complete, integrity ok', async () => {
    const dataDir = path.join(root, `data-${Math.random().toString(36).slice(2)}`);
    const { killed } = await importAndKill(dataDir, killWhen);
    expect(killed).toBe(true);

    // Right after the crash: whatever is marked complete really is whole (all slices + thumbnails).
    const db = new Database(path.join(dataDir, 'catalogue.sqlite'), { readonly: true });
    const complete = db
      .prepare(`SELECT s.id, s.dim_z, (SELECT count(*) FROM files f WHERE f.series_id = s.id) AS n FROM series s WHERE status = 'complete'`)
      .all() as { id: number; dim_z: number; n: number }[];
    for (const c of complete) {
      expect(c.dim_z).toBe(SLICES);
      expect(c.n).toBe(SLICES);
      expect(fs.existsSync(path.join(dataDir, 'thumbnails', `${c.id}-axial.png`))).toBe(true);
    }
    const state = db.prepare('SELECT state FROM import_runs ORDER BY id DESC LIMIT 1').get() as { state: string };
    expect(state.state).toBe('running'); // it really died mid-way
    expect(complete.length).toBeLessThan(SERIES);
    db.close();

    const h = harness(dataDir);
    try {
      // Opening the services starts a recovery job for what the dead run left half-done (the killed run's
      // own job is marked failed). It may already have ended on a fast machine: any state but 'failed'.
      const recovery = await vi.waitFor(() => {
        const jobs = h.services.jobs.list().filter((j) => j.kind === 'import' && j.state !== 'failed');
        expect(jobs).toHaveLength(1);
        return jobs;
      });
      expect((await h.services.jobs.wait(recovery[0].job)).state).toBe('done');
      expect((h.services.db.prepare(`SELECT count(*) AS n FROM series WHERE status = 'importing'`).get() as { n: number }).n).toBe(0);
      const pending = h.services.db.prepare('SELECT count(*) AS n FROM files WHERE series_id IS NULL').get() as { n: number };
      expect(pending.n).toBe(0);

      const run = await h.importPaths([src]);
      expect(run.state).toBe('done');
      const one = (sql: string) => (h.services.db.prepare(sql).get() as { n: number }).n;
      expect(one('SELECT count(*) AS n FROM files')).toBe(SERIES * SLICES);
      expect(one('SELECT count(*) AS n FROM (SELECT sop_instance_uid FROM files GROUP BY sop_instance_uid HAVING count(*) > 1)')).toBe(0);
      expect(one('SELECT count(*) AS n FROM series')).toBe(SERIES);
      expect(one(`SELECT count(*) AS n FROM series WHERE status = 'complete' AND dim_z = ${SLICES} AND file_count = ${SLICES}`)).toBe(SERIES);
      expect(one('SELECT count(*) AS n FROM files WHERE series_id IS NULL')).toBe(0);
      expect(one(`SELECT count(*) AS n FROM import_runs WHERE state = 'interrupted'`)).toBe(1);
      expect(one(`SELECT count(*) AS n FROM import_runs WHERE state = 'done'`)).toBe(2); // recovery + re-run
      expect(one('SELECT count(*) AS n FROM patients')).toBe(SERIES / 4);
      expect(h.services.db.pragma('integrity_check', { simple: true })).toBe('ok');
      const info = await h.api.call('app:info', {});
      expect(info.catalogue.series).toBe(SERIES);
      // and a further re-run changes nothing
      const again = await h.importPaths([src]);
      expect(again.filesImported).toBe(0);
      expect(again.filesUnchanged).toBe(again.filesScanned);
      expect(again.seriesTouched).toBe(0);
    } finally {
      await h.close();
    }
  }, 180_000);
});
