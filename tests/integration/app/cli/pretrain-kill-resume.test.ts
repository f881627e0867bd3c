// `kill -9` in the middle of `voxelbase pretrain`, then `voxelbase pretrain --resume RUN` (issue 9, "Done when"):
// the resumed run finishes, and every step's loss (the last one included) equals an uninterrupted run's with the same
// seed, bit for bit (tolerance 0: same provider, same thread count). Before resuming, the newest checkpoint file is
// made corrupt (a flipped byte, as a disk might) and a half-written temporary checkpoint is left beside it, as a
// writer killed mid-write leaves one: neither is loaded; the resume starts from the newest checkpoint that verifies.
// The trainer runs in a process of its own: it does not outlive the killed CLI. The JSON result names the step the resume started from. The catalogue passes SQLite's integrity and foreign-key checks afterwards. Each command is a child process on
// bin/voxelbase.js; the data are Colin27 and its skull-stripped twin (mricron-data), imported by the CLI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { RunMetric, RunRecord } from '../../../../app/contract/types/runs.js';
import { findProcesses } from '../../../support/processes.js';

const run = promisify(execFile);
const bin = path.resolve('bin/voxelbase.js');
const TEMPLATES = '/usr/share/mricron/templates';
let root: string;
let dataDir: string;
let series: string;
const env = { ...process.env, VOXELBASE_FROM_SOURCE: '1' };

async function vb(...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [bin, '--data-dir', dataDir, ...args], { env, timeout: 300_000, maxBuffer: 64 << 20 });
  return stdout;
}

// Long enough that the kill, made once the run's row (written at most twice a second) shows step 10, always lands
// well before the end: a tiny step takes ~60 ms here, so steps 10..64 leave the poller ~3 s.
const STEPS = 64;
const TRAIN = ['--input', '16', '--spacing', '4', '--batch', '4', '--norm', 'batch', '--widths', '8,8,16,16', '--heads', '32,8,32',
  '--optimizer', 'adamw', '--lr', '0.001', '--threads', '1', '--loader-workers', '1', '--seed', '5', '--steps', String(STEPS), '--checkpoint-every', '3', '--keep-checkpoints', '2'];

const show = async (id: number) => JSON.parse(await vb('--json', 'runs', 'show', String(id), '--metrics')) as RunRecord & { metrics: RunMetric[] };

beforeAll(async () => {
  root = path.resolve('tests/.tmp', `cli-pretrain-${process.pid}-${Date.now().toString(36)}`);
  dataDir = path.join(root, 'data');
  const src = path.join(root, 'src');
  fs.mkdirSync(src, { recursive: true });
  for (const f of ['ch2.nii.gz', 'ch2bet.nii.gz']) fs.copyFileSync(path.join(TEMPLATES, f), path.join(src, f));
  await vb('--json', 'import', src, '--no-thumbnails');
  const list = JSON.parse(await vb('--json', 'series', 'list')) as { rows: { id: number }[] };
  series = list.rows.map((r) => r.id).join(',');
}, 180_000);

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('voxelbase pretrain: kill -9, then --resume', () => {
  it('finishes the run with the uninterrupted run\'s losses, never loading a broken checkpoint, and leaves the catalogue intact', async () => {
    const reference = JSON.parse(await vb('--json', 'pretrain', '--series', series, ...TRAIN)) as { ok: boolean; run: number; record: RunRecord };
    expect(reference.ok).toBe(true);
    const ref = await show(reference.run);
    expect(ref.metrics.map((m) => m.step)).toEqual(Array.from({ length: STEPS }, (_, i) => i + 1));

    // the victim: same options, killed with SIGKILL once it is past its third checkpoint (step 9)
    const tag = { VOXELBASE_TEST_TAG: `kill-resume-${process.pid}-${Date.now()}` };
    const child = spawn(process.execPath, [bin, '--data-dir', dataDir, '--json', 'pretrain', '--series', series, ...TRAIN], { env: { ...env, ...tag }, stdio: 'ignore' });
    const victim = reference.run + 1;
    const db = new Database(path.join(dataDir, 'catalogue.sqlite'), { readonly: true, fileMustExist: true });
    try {
      const t0 = Date.now();
      for (;;) {
        const row = db.prepare('SELECT step FROM runs WHERE id = ?').get(victim) as { step: number } | undefined;
        if (row && row.step >= 10) break;
        if (child.exitCode !== null || Date.now() - t0 > 240_000) throw new Error(`the victim ended or never got to step 10 (exit ${child.exitCode})`);
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      db.close();
    }
    const trainers = findProcesses('trainer-process.ts', tag);
    expect(trainers.map((p) => p.ppid)).toEqual([child.pid]);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    // its trainer process ends with it (its IPC channel closed), not left training on its own
    const t1 = Date.now();
    while (findProcesses('trainer-process.ts', tag).length && Date.now() - t1 < 20_000) await new Promise((r) => setTimeout(r, 100));
    expect(findProcesses('trainer-process.ts', tag)).toEqual([]);

    const killed = await show(victim);
    expect(killed.state).toBe('interrupted');
    expect(killed.step).toBeGreaterThanOrEqual(10);
    expect(killed.step).toBeLessThan(STEPS);
    const dir = path.join(dataDir, 'runs', String(victim), 'checkpoints');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.safetensors')).sort();
    expect(files.length).toBe(2); // the last two kept
    const newest = files.at(-1)!;
    const newestStep = Number(/step-(\d+)/.exec(newest)![1]);
    expect(newestStep).toBeGreaterThanOrEqual(9);
    const older = Number(/step-(\d+)/.exec(files[0])![1]);
    // a disk error in the newest checkpoint, and a half-written temporary file of a later one
    const bytes = fs.readFileSync(path.join(dir, newest));
    bytes[bytes.length - 4096] ^= 0x01;
    fs.writeFileSync(path.join(dir, newest), bytes);
    fs.writeFileSync(path.join(dir, `step-${String(newestStep + 3).padStart(9, '0')}.safetensors.424242.tmp`), bytes.subarray(0, bytes.length >> 1));

    const resumed = JSON.parse(await vb('--json', 'pretrain', '--resume', String(victim))) as { ok: boolean; run: number; state: string; startStep: number };
    // the resume went back to the older, valid checkpoint: the newest was corrupt, the temporary file half-written
    expect(resumed).toMatchObject({ ok: true, run: victim, state: 'done', startStep: older });
    const done = await show(victim);
    expect(done.state).toBe('done');
    expect(done.step).toBe(STEPS);
    expect(done.metrics.map((m) => m.step)).toEqual(ref.metrics.map((m) => m.step));
    // bit for bit: every step, so also the last
    expect(done.metrics.map((m) => m.loss)).toStrictEqual(ref.metrics.map((m) => m.loss));
    expect(done.lastLoss).toBe(ref.lastLoss);
    expect(fs.readdirSync(dir).some((f) => f.endsWith('.tmp'))).toBe(false);

    const check = new Database(path.join(dataDir, 'catalogue.sqlite'), { readonly: true });
    try {
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(check.pragma('foreign_key_check')).toEqual([]);
    } finally {
      check.close();
    }
    const list = JSON.parse(await vb('--json', 'runs', 'list')) as RunRecord[];
    expect(list.map((r) => [r.id, r.state])).toEqual([[victim, 'done'], [reference.run, 'done']]);
  }, 600_000);
});
