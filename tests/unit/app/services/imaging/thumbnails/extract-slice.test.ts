import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodePng, extractSlice, renderThumbnails } from '../../../../../../app/services/imaging/index.js';
import type { Volume } from '../../../../../../app/services/imaging/types.js';

// 4 x 3 x 2 volume, value = 100 x + 10 y + z, in LAS (x voxel axis points to patient left), like dcm2niix.
function volume(): Volume {
  const data = new Int16Array(24);
  for (let z = 0; z < 2; z++) for (let y = 0; y < 3; y++) for (let x = 0; x < 4; x++) data[x + 4 * y + 12 * z] = 100 * x + 10 * y + z;
  return {
    dims: [4, 3, 2],
    data,
    datatype: 'int16',
    components: 1,
    affine: [
      [-1, 0, 0, 3],
      [0, 2, 0, 0],
      [0, 0, 3, 0],
      [0, 0, 0, 1],
    ],
    spacing: [1, 2, 3],
    sclSlope: 1,
    sclInter: 0,
  };
}

describe('extractSlice', () => {
  it('axial: radiological (patient right on the left), anterior at the top', () => {
    const s = extractSlice(volume(), 'axial', 1);
    expect([s.width, s.height, s.count]).toEqual([4, 3, 2]);
    // Column 0 = most right = largest R = voxel x 0 (x axis points left); row 0 = most anterior = y 2.
    expect(s.data[0]).toBe(0 * 100 + 2 * 10 + 1);
    expect(s.data[3]).toBe(3 * 100 + 2 * 10 + 1);
    expect(s.data[2 * 4]).toBe(0 + 0 + 1);
    expect(s.pixelSize).toEqual([1, 2]);
  });

  it('coronal and sagittal: superior at the top; sagittal anterior on the left', () => {
    const c = extractSlice(volume(), 'coronal', 0);
    expect([c.width, c.height]).toEqual([4, 2]);
    expect(c.data[0]).toBe(0 + 0 + 1); // top row = z 1
    const s = extractSlice(volume(), 'sagittal');
    expect([s.width, s.height, s.count]).toEqual([3, 2, 4]);
    expect(s.index).toBe(2);
    // sagittal index counts from patient right... voxel x = 3 - 2 = 1 for index 2 (R ascending).
    expect(s.data[0]).toBe(100 + 20 + 1);
  });

  it('applies scl_slope / scl_inter', () => {
    const s = extractSlice({ ...volume(), sclSlope: 2, sclInter: -5 }, 'axial', 0);
    expect(s.data[2 * 4]).toBe(-5);
  });
});

describe('thumbnails and PNG', () => {
  it('three 8-bit thumbnails windowed by percentiles, aspect kept', () => {
    const t = renderThumbnails(volume(), { size: 32 });
    expect(t.window.low).toBeLessThan(t.window.high);
    expect(Math.max(t.axial.width, t.axial.height)).toBe(32);
    // Axial is 4 mm x 6 mm physically: taller than wide.
    expect(t.axial.height).toBeGreaterThan(t.axial.width);
    // Values rise by 100 per voxel towards patient left (image right): dark left, bright right.
    const row = t.axial.data.subarray(0, t.axial.width);
    expect(row[0]).toBeLessThan(60);
    expect(row[row.length - 1]).toBeGreaterThan(200);
  });

  it('PNG has the signature, IHDR and IDAT that inflates to filtered rows', () => {
    const img = { width: 5, height: 2, data: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) };
    const png = encodePng(img);
    expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const dv = new DataView(png.buffer, png.byteOffset);
    expect(String.fromCharCode(...png.subarray(12, 16))).toBe('IHDR');
    expect([dv.getUint32(16), dv.getUint32(20), png[24], png[25]]).toEqual([5, 2, 8, 0]);
    const idatLen = dv.getUint32(33);
    expect(String.fromCharCode(...png.subarray(37, 41))).toBe('IDAT');
    const raw = inflateSync(png.subarray(41, 41 + idatLen));
    expect(Array.from(raw)).toEqual([0, 1, 2, 3, 4, 5, 0, 6, 7, 8, 9, 10]);
    expect(String.fromCharCode(...png.subarray(png.length - 8, png.length - 4))).toBe('IEND');
  });
});
