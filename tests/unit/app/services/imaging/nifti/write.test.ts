import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeNifti, readNiftiBytes, writeNifti, writeNiftiSync } from '../../../../../../app/services/imaging/index.js';
import type { Volume } from '../../../../../../app/services/imaging/types.js';

// An oblique, left-handed (negative determinant) rigid affine: rotation theta about x.
const theta = 0.124;
const [ct, st] = [Math.cos(theta), Math.sin(theta)];

const volume: Volume = {
  dims: [3, 4, 5],
  data: Int16Array.from({ length: 60 }, (_, i) => i * 7 - 100),
  datatype: 'int16',
  components: 1,
  affine: [
    [-0.9, 0, 0, 90],
    [0, 0.8 * ct, 2.5 * st, -120],
    [0, -0.8 * st, 2.5 * ct, -70],
    [0, 0, 0, 1],
  ],
  spacing: [0.9, 0.806, 2.502],
  sclSlope: 2,
  sclInter: -1024,
};

describe('NIfTI-1 writer', () => {
  it('writes the header fields of nifti1.h at their offsets', () => {
    const b = encodeNifti(volume, { description: 'test volume' });
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    expect(dv.getInt32(0, true)).toBe(348);
    expect([0, 1, 2, 3].map((i) => dv.getInt16(40 + 2 * i, true))).toEqual([3, 3, 4, 5]);
    expect(dv.getInt16(70, true)).toBe(4); // DT_INT16
    expect(dv.getInt16(72, true)).toBe(16);
    expect(dv.getFloat32(108, true)).toBe(352);
    expect(dv.getFloat32(112, true)).toBe(2);
    expect(dv.getFloat32(116, true)).toBe(-1024);
    expect(dv.getInt16(252, true)).toBe(1);
    expect(dv.getInt16(254, true)).toBe(1);
    expect(String.fromCharCode(...b.subarray(344, 347))).toBe('n+1');
    expect(dv.getFloat32(76, true)).toBe(-1); // qfac: determinant is negative
    expect(dv.getFloat32(280 + 12, true)).toBe(90);
    expect(b.length).toBe(352 + 120);
  });

  it('round-trips through the reader with sform and qform agreeing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vb-nifti-'));
    for (const name of ['v.nii', 'v.nii.gz']) {
      const path = join(dir, name);
      await writeNifti(volume, path);
      const bytes = new Uint8Array(readFileSync(path));
      if (name.endsWith('.gz')) expect(gunzipSync(bytes).length).toBe(472);
      const [back] = readNiftiBytes(bytes, path, { applyScaling: false });
      expect(Array.from(back.data)).toEqual(Array.from(volume.data));
      expect([back.sclSlope, back.sclInter]).toEqual([2, -1024]);
      for (let r = 0; r < 4; r++)
        for (let c = 0; c < 4; c++) {
          expect(back.header.sformAffine![r][c]).toBeCloseTo(volume.affine[r][c], 5);
          expect(back.header.qformAffine[r][c]).toBeCloseTo(volume.affine[r][c], 4);
        }
      const [scaled] = readNiftiBytes(bytes, path);
      expect(scaled.datatype).toBe('float32');
      expect(scaled.data[3]).toBe(volume.data[3] * 2 - 1024);
    }
  });

  it('refuses data that does not fill the dims, and other extensions', async () => {
    expect(() => encodeNifti({ ...volume, dims: [3, 4, 6] })).toThrow(/data has 60 values/);
    await expect(writeNifti(volume, '/tmp/x.img')).rejects.toThrow(/must end in \.nii/);
  });
});

describe('writeNiftiSync', () => {
  it('writes the same bytes as writeNifti and encodeNifti, and refuses .nii.gz', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vb-nifti-sync-'));
    const a = join(dir, 'a.nii');
    const b = join(dir, 'b.nii');
    writeNiftiSync(volume, a, { description: 'sync' });
    await writeNifti(volume, b, { description: 'sync' });
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
    expect(readFileSync(a).equals(Buffer.from(encodeNifti(volume, { description: 'sync' })))).toBe(true);
    expect(() => writeNiftiSync(volume, join(dir, 'c.nii.gz'))).toThrow(/\.nii only/);
  });
});
