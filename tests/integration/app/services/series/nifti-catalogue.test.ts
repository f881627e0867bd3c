// NIfTI files in the catalogue, checked against nibabel (Debian's python3-nibabel 5.0) as the oracle:
// - nibabel's own NIfTI-2 test file (example_nifti2.nii.gz, 4-D) imported: the series row's dims, spacing
//   and affine, and its NIfTI export (voxels, sform, qform);
// - files written at test time with nibabel from real data (anatomical.nii's voxels) whose qform and sform
//   disagree by millimetres (a 10-degree rotation and a shift of several mm): with sform_code 1 or 2 the
//   catalogued and exported affine is the sform, as nibabel's Nifti1Header.get_best_affine and the
//   NIfTI-1 standard (nifti1.h, "method 3" over "method 2") choose; with sform_code 0 it is the qform.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { NIBABEL, copy, harness, tmpDir, type Harness } from '../import/helpers.js';
import { exportSeriesVolume } from '../../../../../app/services/series/export-volume.js';
import type { SeriesDetail } from '../../../../../app/contract/types.js';

const PYTHON = '/usr/bin/python3';

interface NibFacts {
  shape: number[];
  zooms: number[];
  affine: number[][];
  sform: number[][];
  qform: number[][];
  codes: [number, number];
  version: number;
}

let root: string;
let src: string;
let h: Harness;
let series: Record<string, SeriesDetail>;
let facts: Record<string, NibFacts>;

/** Writes the test files: anatomical.nii's real voxels with a qform and a different sform. */
const WRITE = `
import sys, numpy as np, nibabel as nb
out = sys.argv[1]
src = nb.load(sys.argv[2])
data = np.asanyarray(src.dataobj)
q = np.array(src.affine)                     # the file's own (rigid) geometry, 2 mm voxels
t = np.deg2rad(10.0)
rot = np.array([[np.cos(t), -np.sin(t), 0, 0], [np.sin(t), np.cos(t), 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]])
s = rot @ q
s[:3, 3] += [4.5, -3.25, 7.0]                # millimetres away from the qform
for name, scode in (("sform1.nii", 1), ("sform2.nii.gz", 2), ("qonly.nii", 0)):
    img = nb.Nifti1Image(data, None)
    img.set_qform(q, code=1)
    img.set_sform(s, code=scode)
    nb.save(img, f"{out}/{name}")
`;

const FACTS = `
import json, sys, numpy as np, nibabel as nb
res = {}
for p in sys.argv[1:]:
    img = nb.load(p)
    hd = img.header
    res[p] = {"shape": list(img.shape), "zooms": [float(z) for z in hd.get_zooms()],
              "affine": hd.get_best_affine().tolist(), "sform": hd.get_sform().tolist(), "qform": hd.get_qform().tolist(),
              "codes": [int(hd["sform_code"]), int(hd["qform_code"])], "version": 2 if isinstance(img, nb.Nifti2Image) else 1}
print(json.dumps(res))`;

/** nibabel's view of an exported file against its source: same voxels (real values), affines. */
const COMPARE = `
import json, sys, numpy as np, nibabel as nb
a, b = nb.load(sys.argv[1]), nb.load(sys.argv[2])
print(json.dumps({"shape": list(a.shape), "equal": bool(a.shape == b.shape and np.array_equal(a.get_fdata(), b.get_fdata())),
  "sform": a.get_sform().tolist(), "qform": a.get_qform().tolist(),
  "codes": [int(a.header["sform_code"]), int(a.header["qform_code"])]}))`;

function py<T>(script: string, ...args: string[]): T {
  return JSON.parse(execFileSync(PYTHON, ['-c', script, ...args], { encoding: 'utf8' })) as T;
}

function maxDiff(a: number[][], b: number[][]): number {
  let m = 0;
  for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) m = Math.max(m, Math.abs(a[r][c] - b[r][c]));
  return m;
}

beforeAll(async () => {
  root = tmpDir('nifti-catalogue');
  src = path.join(root, 'src');
  copy(path.join(NIBABEL, 'example_nifti2.nii.gz'), path.join(src, 'example_nifti2.nii.gz'));
  execFileSync(PYTHON, ['-c', WRITE, src, path.join(NIBABEL, 'anatomical.nii')]);
  const names = ['example_nifti2.nii.gz', 'sform1.nii', 'sform2.nii.gz', 'qonly.nii'];
  facts = py<Record<string, NibFacts>>(FACTS, ...names.map((n) => path.join(src, n)));
  h = harness(path.join(root, 'data'));
  await h.importPaths([src], false);
  const rows = (await h.api.call('series:list', { filter: { kind: 'nifti' } })).rows;
  series = {};
  for (const r of rows) series[path.basename(r.seriesUid)] = await h.api.call('series:get', { id: r.id });
  expect(Object.keys(series).sort()).toEqual([...names].sort());
}, 60_000);

afterAll(async () => {
  await h?.close();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

describe('NIfTI-2 in the catalogue (nibabel example_nifti2.nii.gz)', () => {
  it('the series row has nibabel’s shape, zooms and affine', () => {
    const nb = facts[path.join(src, 'example_nifti2.nii.gz')];
    const s = series['example_nifti2.nii.gz'];
    expect(nb.version).toBe(2);
    expect(nb.shape).toEqual([32, 20, 12, 2]);
    expect(s.kind).toBe('nifti');
    expect(s.status).toBe('complete');
    expect(s.dims).toEqual(nb.shape);
    expect(s.volumeCount).toBe(2);
    s.spacing.forEach((v, i) => expect(v).toBeCloseTo(nb.zooms[i], 5));
    expect(maxDiff(s.affine, nb.affine)).toBeLessThan(1e-4);
  });

  it('exports as NIfTI with the same voxels (both volumes) and that affine as sform and qform', async () => {
    const s = series['example_nifti2.nii.gz'];
    const out = path.join(root, 'out', 'nifti2.nii.gz');
    const res = await exportSeriesVolume(h.services.db, s.id, out);
    expect(res.dims).toEqual([32, 20, 12, 2]);
    const c = py<{ shape: number[]; equal: boolean; sform: number[][]; qform: number[][]; codes: number[] }>(
      COMPARE,
      out,
      path.join(src, 'example_nifti2.nii.gz'),
    );
    expect(c.shape).toEqual([32, 20, 12, 2]);
    expect(c.equal).toBe(true);
    const nb = facts[path.join(src, 'example_nifti2.nii.gz')];
    expect(maxDiff(c.sform, nb.affine)).toBeLessThan(1e-3);
    expect(maxDiff(c.qform, nb.affine)).toBeLessThan(1e-3);
    expect(c.codes[0]).toBeGreaterThan(0);
    expect(c.codes[1]).toBeGreaterThan(0);
  });
});

describe('qform and sform that disagree by millimetres', () => {
  it('the test files really disagree (oracle sanity)', () => {
    for (const name of ['sform1.nii', 'sform2.nii.gz', 'qonly.nii']) {
      const nb = facts[path.join(src, name)];
      expect(maxDiff(nb.sform, nb.qform)).toBeGreaterThan(3);
    }
    expect(facts[path.join(src, 'sform1.nii')].codes).toEqual([1, 1]);
    expect(facts[path.join(src, 'sform2.nii.gz')].codes).toEqual([2, 1]);
    expect(facts[path.join(src, 'qonly.nii')].codes).toEqual([0, 1]);
  });

  it.each([
    ['sform1.nii', 'sform'],
    ['sform2.nii.gz', 'sform'],
    ['qonly.nii', 'qform'],
  ] as const)('%s: catalogued affine = nibabel get_best_affine (the %s), spacing = zooms', (name, which) => {
    const nb = facts[path.join(src, name)];
    const s = series[name];
    expect(s.dims).toEqual([33, 41, 25]);
    s.spacing.forEach((v, i) => expect(v).toBeCloseTo(nb.zooms[i], 5));
    expect(maxDiff(s.affine, nb.affine)).toBeLessThan(1e-4);
    expect(maxDiff(s.affine, nb[which])).toBeLessThan(1e-4);
    expect(maxDiff(s.affine, nb[which === 'sform' ? 'qform' : 'sform'])).toBeGreaterThan(3);
    // The sform is rotated 10 degrees about z: oblique, and the row says so.
    expect(s.oblique).toBe(which === 'sform');
  });

  it.each(['sform1.nii', 'sform2.nii.gz', 'qonly.nii'])('%s: the export carries the chosen affine in sform and qform, voxels unchanged', async (name) => {
    const nb = facts[path.join(src, name)];
    const out = path.join(root, 'out', `${name.replace(/\.nii(\.gz)?$/, '')}-export.nii`);
    await exportSeriesVolume(h.services.db, series[name].id, out);
    const c = py<{ equal: boolean; sform: number[][]; qform: number[][]; codes: number[] }>(COMPARE, out, path.join(src, name));
    expect(c.equal).toBe(true);
    expect(maxDiff(c.sform, nb.affine)).toBeLessThan(1e-3);
    // Both transforms are rigid, so the exported quaternion represents the chosen affine exactly.
    expect(maxDiff(c.qform, nb.affine)).toBeLessThan(1e-3);
    expect(c.codes[0]).toBeGreaterThan(0);
  });
});
