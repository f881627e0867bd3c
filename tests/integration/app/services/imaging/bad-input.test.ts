// Bad input gets a DicomParseError / NiftiError whose reason and message name the file: zero-byte,
// non-DICOM named .dcm, truncated (pydicom's MR_truncated.dcm and a real CT cut short), DICOM without
// pixels (pydicom's structured reports, RT plan), corrupt gzip NIfTI, a prefix that stops before the
// pixel data; and a decode failure names the file and the transfer syntax: pydicom's
// JPEG2000-embedded-sequence-delimiter.dcm (a J2K main header broken by 4 bytes) with OpenJPEG's own reason,
// a JPEG lossless frame cut short (never a frame silently completed with zeros), a JPEG stream whose TEM
// marker would hang DCMTK's bit-depth scan, and a JPEG frame larger than its header says.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DicomParseError,
  NiftiError,
  PixelDecodeError,
  assembleSeries,
  encodePng,
  loadVolume,
  looksLikeDicom,
  parseDicomHeader,
  readNifti,
  readNiftiBytes,
} from '../../../../../app/services/imaging/index.js';
import { NIBABEL, PYDICOM, freshDir, makeSeries, transcodeDir, listFiles } from './support/oracle.js';

function reasonOf(fn: () => unknown): { reason: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof DicomParseError) return { reason: e.reason, message: e.message };
    throw e;
  }
  throw new Error('expected a DicomParseError');
}

describe('bad DICOM input', () => {
  let dir: string;
  beforeAll(() => {
    dir = freshDir('bad-input');
  });

  it('zero-byte file: empty', () => {
    const r = reasonOf(() => parseDicomHeader(new Uint8Array(0), '/data/zero.dcm'));
    expect(r.reason).toBe('empty');
    expect(r.message).toContain('/data/zero.dcm');
  });

  it('text named .dcm: not-dicom', () => {
    const bytes = new TextEncoder().encode('PatientName,Age\nDoe^John,42\n'.repeat(20));
    expect(looksLikeDicom(bytes)).toBe(false);
    const r = reasonOf(() => parseDicomHeader(bytes, '/data/notes.dcm'));
    expect(r.reason).toBe('not-dicom');
    expect(r.message).toMatch(/notes\.dcm: not DICOM/);
  });

  it('a PNG named .dcm: not-dicom', () => {
    const png = encodePng({ width: 64, height: 64, data: new Uint8Array(64 * 64).map((_, i) => i & 255) });
    expect(reasonOf(() => parseDicomHeader(png, 'image.dcm')).reason).toBe('not-dicom');
  });

  it("pydicom's MR_truncated.dcm: truncated, with the byte counts", () => {
    const r = reasonOf(() => parseDicomHeader(readFileSync(join(PYDICOM, 'MR_truncated.dcm')), 'MR_truncated.dcm'));
    expect(r.reason).toBe('truncated');
    expect(r.message).toMatch(/declares 8192 bytes but only 8130 remain/);
  });

  it('CT_small cut inside its header: truncated', () => {
    const full = readFileSync(join(PYDICOM, 'CT_small.dcm'));
    const r = reasonOf(() => parseDicomHeader(full.subarray(0, 1000), 'ct-cut.dcm'));
    expect(r.reason).toBe('truncated');
  });

  it('a prefix of a good file that stops before Pixel Data asks for the whole file', () => {
    const full = readFileSync(join(PYDICOM, 'CT_small.dcm'));
    const prefix = full.subarray(0, 4096);
    expect(reasonOf(() => parseDicomHeader(prefix, 'ct.dcm', { fileSize: full.length })).reason).toBe('incomplete-prefix');
    // A prefix that reaches the Pixel Data element header is enough for the header.
    const h = parseDicomHeader(full.subarray(0, 6400), 'ct.dcm', { fileSize: full.length });
    expect(h.hasPixelData).toBe(true);
    expect(h.fileSize).toBe(full.length);
  });

  it.each([
    ['test-SR.dcm', 'SR'],
    ['reportsi.dcm', 'SR'],
    ['rtplan.dcm', 'RTPLAN'],
  ])('%s (no pixels): no-pixel-data naming the modality', (file, modality) => {
    const r = reasonOf(() => parseDicomHeader(readFileSync(join(PYDICOM, file)), file));
    expect(r.reason).toBe('no-pixel-data');
    expect(r.message).toContain(`modality ${modality}`);
  });

  it('no-pixel objects can be catalogued on request and assemble to a flagged, unusable plan', () => {
    const h = parseDicomHeader(readFileSync(join(PYDICOM, 'test-SR.dcm')), 'test-SR.dcm', { allowNoPixelData: true });
    expect(h.hasPixelData).toBe(false);
    const a = assembleSeries([h]);
    expect(a.volumes).toHaveLength(1);
    expect(a.volumes[0].usableForLearning).toBe(false);
    expect(a.volumes[0].flags.map((f) => f.code)).toEqual(['no-pixels']);
  });

  it('a file corrupted after parsing fails decoding with file and transfer syntax named', async () => {
    const src = readFileSync(join(PYDICOM, 'MR_small_RLE.dcm'));
    const path = join(dir, 'rle.dcm');
    writeFileSync(path, src);
    const h = parseDicomHeader(src, path);
    const plan = assembleSeries([h]).volumes[0];
    const broken = new Uint8Array(src);
    // Destroy the RLE segment header of the only frame: basic offset table item (8 + 4 bytes), then the
    // fragment item header (8 bytes), then the 64-byte RLE header.
    broken.fill(0xff, h.pixelData!.offset + 20, h.pixelData!.offset + 84);
    await expect(loadVolume(plan, async () => broken)).rejects.toThrow(PixelDecodeError);
    await expect(loadVolume(plan, async () => broken)).rejects.toThrow(/rle\.dcm \(transfer syntax 1\.2\.840\.10008\.1\.2\.5\)/);
  });
});

describe('damaged compressed frames', () => {
  let dir: string;
  let jll: string;
  beforeAll(() => {
    dir = freshDir('bad-frames');
    makeSeries(['colin', join(dir, 'src'), 'ct-s16', '1']);
    [jll] = listFiles(transcodeDir(join(dir, 'src'), join(dir, 'jll'), 'dcmcjpeg', ['+e1']));
  });

  /** The file's plan, and its bytes with `edit` applied to its only JPEG fragment (offset within the fragment). */
  function damaged(path: string, edit: (bytes: Uint8Array, fragment: number, length: number) => void) {
    const src = new Uint8Array(readFileSync(path));
    const h = parseDicomHeader(src, path);
    const plan = assembleSeries([h]).volumes[0];
    // Encapsulated Pixel Data: the basic offset table item (tag, length, table), then the fragment item.
    const u32 = (i: number) => (src[i] | (src[i + 1] << 8) | (src[i + 2] << 16) | (src[i + 3] << 24)) >>> 0;
    const item = h.pixelData!.offset + 8 + u32(h.pixelData!.offset + 4);
    expect(u32(item)).toBe(0xe000fffe);
    const length = u32(item + 4);
    const bytes = src.slice();
    edit(bytes, item + 8, length);
    return { plan, read: async () => bytes };
  }

  it('the undamaged frame decodes', async () => {
    const { plan, read } = damaged(jll, () => {});
    const v = await loadVolume(plan, read);
    expect(v.dims).toEqual([181, 217, 1]);
  });

  it("pydicom's JPEG2000-embedded-sequence-delimiter.dcm: OpenJPEG's reason, not an empty frame", async () => {
    const path = join(PYDICOM, 'JPEG2000-embedded-sequence-delimiter.dcm');
    const plan = assembleSeries([parseDicomHeader(readFileSync(path), path)]).volumes[0];
    const err = await loadVolume(plan).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PixelDecodeError);
    expect((err as Error).message).toContain('JPEG2000-embedded-sequence-delimiter.dcm (transfer syntax 1.2.840.10008.1.2.4.91)');
    expect((err as Error).message).toMatch(/Invalid number of tiles/);
    expect((err as Error).message).not.toMatch(/0x0/);
  });

  it('a JPEG lossless frame cut short by an EOI marker half way is an error, not zeros', async () => {
    const { plan, read } = damaged(jll, (b, at, n) => b.set([0xff, 0xd9], at + (n >> 1)));
    await expect(loadVolume(plan, read)).rejects.toThrow(PixelDecodeError);
    await expect(loadVolume(plan, read)).rejects.toThrow(/JPEG data damaged.*premature end of data segment/);
  });

  it('a TEM marker before the frame header is refused (DCMTK would scan it forever)', async () => {
    const { plan, read } = damaged(jll, (b, at) => b.set([0xff, 0x01], at + 2));
    await expect(loadVolume(plan, read)).rejects.toThrow(/TEM marker/);
  });

  it('a JPEG frame whose size differs from the header is refused before decoding', async () => {
    const { plan, read } = damaged(jll, (b, at, n) => {
      // Rows in the SOF3 segment (FF C3, length, precision, rows, columns): 217 -> 4000.
      for (let i = at; i < at + n - 9; i++) {
        if (b[i] === 0xff && b[i + 1] === 0xc3) {
          b.set([4000 >> 8, 4000 & 255], i + 5);
          return;
        }
      }
      throw new Error('no SOF3');
    });
    await expect(loadVolume(plan, read)).rejects.toThrow(/JPEG frame is 181x4000, header says 181x217/);
  });
});

describe('bad NIfTI input', () => {
  it('corrupt gzip: NiftiError naming the file', async () => {
    const good = gzipSync(readFileSync(join(NIBABEL, 'anatomical.nii')));
    const bad = new Uint8Array(good);
    bad.fill(0, 40, 400);
    expect(() => readNiftiBytes(bad, 'scan.nii.gz')).toThrow(NiftiError);
    expect(() => readNiftiBytes(bad, 'scan.nii.gz')).toThrow(/scan\.nii\.gz: corrupt gzip/);
  });

  it('truncated gzip and truncated image data', () => {
    const raw = readFileSync(join(NIBABEL, 'anatomical.nii'));
    const gz = gzipSync(raw);
    expect(() => readNiftiBytes(gz.subarray(0, gz.length >> 1), 'half.nii.gz')).toThrow(/corrupt gzip/);
    expect(() => readNiftiBytes(raw.subarray(0, raw.length - 100), 'short.nii')).toThrow(/truncated/);
  });

  it('not NIfTI, empty, missing file', async () => {
    expect(() => readNiftiBytes(new TextEncoder().encode('x'.repeat(400)), 'a.nii')).toThrow(/not a NIfTI-1 or NIfTI-2 file/);
    expect(() => readNiftiBytes(new Uint8Array(0), 'e.nii')).toThrow(/empty/);
    await expect(readNifti('/nonexistent/x.nii')).rejects.toThrow(NiftiError);
  });
});
