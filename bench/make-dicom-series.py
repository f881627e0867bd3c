#!/usr/bin/python3
"""Benchmark data for bench/import.ts: writes real image data as DICOM series.

Run with Debian's /usr/bin/python3 (pydicom, nibabel, numpy).

  make-dicom-series.py volume NIFTI TEMPLATE.dcm OUTDIR
      one series, one file per axial slice of a real NIfTI volume (e.g. mricron-data's Colin27 ch2.nii.gz),
      header attributes taken from a real pydicom test file (TEMPLATE), with proper
      ImageOrientationPatient / ImagePositionPatient / PixelSpacing derived from the NIfTI affine.
  make-dicom-series.py many NIFTI TEMPLATE.dcm OUTDIR NSERIES NSLICES
      NSERIES series (new Study/Series/SOP UIDs; 4 series per patient) of NSLICES consecutive real slices each.

Geometry: NIfTI's affine maps (i,j,k) to RAS+; DICOM is LPS+, so the x and y rows are negated.
The slice written at (r,c) holds voxel (i=c, j=r, k); row direction = affine column 0, column direction =
affine column 1 (both in LPS), IPP = affine applied to (0,0,k) (DICOM PS3.3 C.7.6.2.1.1).
"""
import copy
import os
import sys

import nibabel as nib
import numpy as np
import pydicom
from pydicom.uid import ExplicitVRLittleEndian, generate_uid


def load(nifti):
    img = nib.load(nifti)
    data = np.asarray(img.dataobj)
    if data.ndim > 3:
        data = data[..., 0]
    aff = img.affine.copy()
    lps = np.diag([-1.0, -1.0, 1.0, 1.0]) @ aff
    return data, lps


def write_series(data, lps, template, outdir, ks, patient, study_uid, series_no, desc):
    os.makedirs(outdir, exist_ok=True)
    series_uid = generate_uid()
    col0 = lps[:3, 0]
    col1 = lps[:3, 1]
    sx = float(np.linalg.norm(col0))
    sy = float(np.linalg.norm(col1))
    iop = [*(col0 / sx), *(col1 / sy)]
    vmax = float(data.max()) or 1.0
    for n, k in enumerate(ks):
        ds = copy.deepcopy(template)
        sop = generate_uid()
        ds.file_meta.MediaStorageSOPInstanceUID = sop
        ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds.SOPInstanceUID = sop
        ds.StudyInstanceUID = study_uid
        ds.SeriesInstanceUID = series_uid
        ds.SeriesNumber = series_no
        ds.SeriesDescription = desc
        ds.PatientID = patient
        ds.PatientName = patient
        ds.InstanceNumber = n + 1
        ds.BodyPartExamined = 'HEAD'
        ipp = lps[:3, :3] @ np.array([0.0, 0.0, float(k)]) + lps[:3, 3]
        ds.ImagePositionPatient = [float(f'{v:.5f}') for v in ipp]
        ds.ImageOrientationPatient = [float(f'{v:.6f}') for v in iop]
        ds.PixelSpacing = [float(f'{sy:.6f}'), float(f'{sx:.6f}')]  # row spacing, column spacing
        ds.SliceThickness = float(np.linalg.norm(lps[:3, 2]))
        ds.SliceLocation = float(ipp[2])
        sl = np.ascontiguousarray(data[:, :, k].T).astype(np.int16)  # rows = j, cols = i
        ds.Rows, ds.Columns = sl.shape
        ds.BitsAllocated = 16
        ds.BitsStored = 16
        ds.HighBit = 15
        ds.PixelRepresentation = 1
        ds.SamplesPerPixel = 1
        ds.PhotometricInterpretation = 'MONOCHROME2'
        ds.WindowCenter = vmax / 2
        ds.WindowWidth = vmax
        ds.PixelData = sl.tobytes()
        ds['PixelData'].VR = 'OW'
        ds.is_little_endian = True
        ds.is_implicit_VR = False
        ds.save_as(os.path.join(outdir, f'IM{n + 1:05d}.dcm'), write_like_original=False)


def main():
    mode, nifti, tmpl, outdir = sys.argv[1:5]
    template = pydicom.dcmread(tmpl)
    for tag in [0xFFFCFFFC, 0x00280106, 0x00280107]:
        if tag in template:
            del template[tag]
    data, lps = load(nifti)
    nz = data.shape[2]
    if mode == 'volume':
        write_series(data, lps, template, outdir, list(range(nz)), 'BENCH^COLIN27', generate_uid(), 1, 'Colin27 T1')
    elif mode == 'many':
        nseries, nslices = int(sys.argv[5]), int(sys.argv[6])
        study = None
        for s in range(nseries):
            if s % 4 == 0:
                study = generate_uid()
            patient = f'BENCH^P{s // 4:03d}'
            start = (s * 7) % max(1, nz - nslices)
            ks = list(range(start, start + nslices))
            write_series(data, lps, template, os.path.join(outdir, f'p{s // 4:03d}', f's{s:03d}'), ks,
                         patient, study, s + 1, f'Colin27 slab {s}')
    else:
        raise SystemExit(f'unknown mode {mode}')


if __name__ == '__main__':
    main()
