#!/usr/bin/python3
"""Test-time series makers for the imaging oracle tests (run with Debian's /usr/bin/python3 + pydicom).

Everything is derived from real images nobody on the team wrote:
  ct   OUT N [--tilt DEG] [--drop K]  N-slice CT series from pydicom's CT_small.dcm (each slice the real
                                       image, shifted by 3 px per slice), 2.5 mm apart; optional gantry
                                       tilt (positions sheared along y, GantryDetectorTilt set) and a
                                       dropped slice K (a missing slice).
  bits SRC OUT {8|12}                  copy of a 16-bit MR series rescaled into 8-bit or 12-bit unsigned
                                       storage (so dcmcjpeg can make baseline / extended 12-bit JPEG).
  mosaic SRC OUT NVOL                  NVOL Siemens mosaic files (4x4 tiles) holding the first 16 slices of SRC,
                                       with (0019,100A) NumberOfImagesInMosaic and the mosaic
                                       ImagePositionPatient convention (position of the whole mosaic).
  enhanced SRC OUT [--vary-rescale]     one Enhanced MR Image (PS3.3 A.36) holding the slices of SRC as
                                       frames in reverse order, with per-frame ImagePositionPatient (Plane
                                       Position) and, optionally, per-frame RescaleSlope/Intercept (Pixel
                                       Value Transformation) that differ by frame.
  enhanced-ct SRC OUT [--oblique]       one Enhanced CT Image (SOP class 1.2.840.10008.5.1.4.1.1.2.1, PS3.3
                                       A.38) holding the CT slices of SRC (e.g. the `ct` series) as frames
                                       in reverse order, with per-frame Plane Position and per-frame CT Pixel
                                       Value Transformation: frame k has slope 1 (k even) or 0.5 (k odd) and
                                       intercept RescaleIntercept - 7 k, its stored values rewritten so that
                                       stored * slope + intercept is the original frame's HU exactly.
                                       --oblique: SRC's geometry turned by 20 degrees about the column axis
                                       (orientation and positions rotated together; a rigid move).
  rotate-ct SRC OUT                    the classic CT slices of SRC turned as `enhanced-ct --oblique` turns
                                       them (the single-frame reference for the oblique enhanced CT).
  colin OUT KIND N                     N axial slices (1 mm, 20-degree oblique) of the Colin27 template
                                       (mricron-data's ch2.nii.gz, 181x217 per slice) stored as KIND:
                                         ct-s16  CT, signed, BitsStored 16, RescaleIntercept -1024 (HU = 10 x
                                                 template - 1000), corners outside a 90 mm circle padded
                                                 with -2000 (top half) and -32768 (bottom half) as scanners do;
                                         ct-s12  CT, signed, BitsStored 12 (HighBit 11), HU stored directly
                                                 (clipped to -2048..2047), the same padding (-2048);
                                         mr-u16  MR, unsigned, BitsStored 16, template x 256 (0..65024);
                                         mr-u12  MR, unsigned, BitsStored 12, template x 16 (0..4064).
"""
import copy
import math
import os
import sys

import numpy as np
import pydicom
from pydicom.data import get_testdata_file
from pydicom.uid import ExplicitVRLittleEndian, generate_uid


def make_ct(out, n, tilt=0.0, drop=-1):
    os.makedirs(out, exist_ok=True)
    src = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
    arr = src.pixel_array
    series_uid = generate_uid(entropy_srcs=["voxelbase-ct", str(n), str(tilt), str(drop)])
    ipp0 = [float(v) for v in src.ImagePositionPatient]
    for k in range(n):
        if k == drop:
            continue
        ds = copy.deepcopy(src)
        ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds.SeriesInstanceUID = series_uid
        ds.SOPInstanceUID = generate_uid(entropy_srcs=[series_uid, str(k)])
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        ds.InstanceNumber = k + 1
        z = ipp0[2] + 2.5 * k
        y = ipp0[1] + (2.5 * k * math.tan(math.radians(tilt)) if tilt else 0.0)
        ds.ImagePositionPatient = [ipp0[0], round(y, 4), round(z, 4)]
        ds.SliceLocation = round(z, 4)
        if tilt:
            ds.GantryDetectorTilt = tilt
        ds.PixelData = np.roll(arr, 3 * k, axis=1).astype(arr.dtype).tobytes()
        ds.save_as(os.path.join(out, f"ct_{k:03d}.dcm"), write_like_original=False)


def make_bits(src_dir, out, bits):
    os.makedirs(out, exist_ok=True)
    files = sorted(f for f in os.listdir(src_dir) if not f.startswith("."))
    arrays = [pydicom.dcmread(os.path.join(src_dir, f)) for f in files]
    vmax = max(int(d.pixel_array.max()) for d in arrays) or 1
    series_uid = generate_uid(entropy_srcs=["voxelbase-bits", src_dir, str(bits)])
    for f, ds in zip(files, arrays):
        a = ds.pixel_array.astype(np.float64).clip(min=0)
        top = 255 if bits == 8 else 4095
        v = np.round(a * top / vmax)
        ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds.SeriesInstanceUID = series_uid
        ds.SOPInstanceUID = generate_uid(entropy_srcs=[series_uid, f])
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        ds.PixelRepresentation = 0
        if bits == 8:
            ds.BitsAllocated, ds.BitsStored, ds.HighBit = 8, 8, 7
            ds.PixelData = v.astype(np.uint8).tobytes()
        else:
            ds.BitsAllocated, ds.BitsStored, ds.HighBit = 16, 12, 11
            ds.PixelData = v.astype(np.uint16).tobytes()
        for tag in (0x00280106, 0x00280107):  # Smallest/Largest pixel value: VR depends on sign
            if tag in ds:
                del ds[tag]
        ds.save_as(os.path.join(out, f), write_like_original=False)


def make_mosaic(src_dir, out, nvol):
    os.makedirs(out, exist_ok=True)
    files = sorted(f for f in os.listdir(src_dir) if not f.startswith("."))[:16]
    slices = [pydicom.dcmread(os.path.join(src_dir, f)) for f in files]
    ipp = [np.array([float(v) for v in s.ImagePositionPatient]) for s in slices]
    normal = np.cross([float(v) for v in slices[0].ImageOrientationPatient[:3]], [float(v) for v in slices[0].ImageOrientationPatient[3:]])
    order = np.argsort([p @ normal for p in ipp])
    slices = [slices[i] for i in order]
    first = slices[0]
    rows, cols = first.Rows, first.Columns
    tiles = 4
    row_dir = np.array([float(v) for v in first.ImageOrientationPatient[:3]])
    col_dir = np.array([float(v) for v in first.ImageOrientationPatient[3:]])
    row_sp, col_sp = float(first.PixelSpacing[0]), float(first.PixelSpacing[1])
    # Siemens: the position given is that of the top-left voxel of the whole mosaic, as if it were one
    # image centred on the first slice (dcm2niix set_nii_header_x undoes this with lFactorX/lFactorY).
    shift = (cols * tiles - cols) / 2.0
    mosaic_ipp = ipp[order[0]] - row_dir * col_sp * shift - col_dir * row_sp * shift
    spacing = float(np.linalg.norm(ipp[order[1]] - ipp[order[0]]))
    series_uid = generate_uid(entropy_srcs=["voxelbase-mosaic", src_dir, str(nvol)])
    for t in range(nvol):
        ds = copy.deepcopy(first)
        ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds.Manufacturer = "SIEMENS"
        ds.ImageType = ["ORIGINAL", "PRIMARY", "M", "ND", "MOSAIC"]
        ds.MRAcquisitionType = "2D"
        ds.SeriesInstanceUID = series_uid
        ds.SOPInstanceUID = generate_uid(entropy_srcs=[series_uid, str(t)])
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        ds.InstanceNumber = t + 1
        ds.AcquisitionNumber = t + 1
        ds.Rows, ds.Columns = rows * tiles, cols * tiles
        ds.ImagePositionPatient = [f"{v:.4f}" for v in mosaic_ipp]
        ds.SpacingBetweenSlices = f"{spacing:.4f}"
        ds.private_block(0x0019, "SIEMENS MR HEADER", create=True).add_new(0x0A, "US", len(slices))
        big = np.zeros((rows * tiles, cols * tiles), dtype=first.pixel_array.dtype)
        for k, s in enumerate(slices):
            r, c = divmod(k, tiles)
            big[r * rows:(r + 1) * rows, c * cols:(c + 1) * cols] = s.pixel_array + t
        ds.PixelData = big.tobytes()
        for tag in (0x00280106, 0x00280107, 0x00000000):
            if tag in ds:
                del ds[tag]
        ds.save_as(os.path.join(out, f"mosaic_{t:03d}.dcm"), write_like_original=False)


def make_enhanced(src_dir, out, vary):
    from pydicom.dataset import Dataset, FileMetaDataset
    from pydicom.sequence import Sequence

    os.makedirs(out, exist_ok=True)
    files = sorted(f for f in os.listdir(src_dir) if not f.startswith("."))
    slices = [pydicom.dcmread(os.path.join(src_dir, f)) for f in files][::-1]
    first = slices[0]
    ds = Dataset()
    for kw in ("PatientName", "PatientID", "PatientBirthDate", "PatientSex", "StudyInstanceUID", "StudyDate",
               "StudyTime", "StudyID", "AccessionNumber", "Manufacturer", "FrameOfReferenceUID",
               "SeriesNumber", "SeriesDescription", "ProtocolName", "InstanceNumber"):
        if kw in first:
            setattr(ds, kw, getattr(first, kw))
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.4.1"
    ds.SOPInstanceUID = generate_uid(entropy_srcs=["voxelbase-enhanced", src_dir, str(vary)])
    ds.SeriesInstanceUID = generate_uid(entropy_srcs=["voxelbase-enhanced-series", src_dir, str(vary)])
    ds.Modality = "MR"
    ds.ImageType = ["ORIGINAL", "PRIMARY", "M", "NONE"]
    ds.Rows, ds.Columns = first.Rows, first.Columns
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = 16, 16, 15
    ds.PixelRepresentation = first.PixelRepresentation
    ds.NumberOfFrames = len(slices)
    shared = Dataset()
    pm = Dataset()
    pm.PixelSpacing = first.PixelSpacing
    pm.SliceThickness = first.SliceThickness
    shared.PixelMeasuresSequence = Sequence([pm])
    po = Dataset()
    po.ImageOrientationPatient = first.ImageOrientationPatient
    shared.PlaneOrientationSequence = Sequence([po])
    ds.SharedFunctionalGroupsSequence = Sequence([shared])
    per = []
    for k, s in enumerate(slices):
        f = Dataset()
        pp = Dataset()
        pp.ImagePositionPatient = s.ImagePositionPatient
        f.PlanePositionSequence = Sequence([pp])
        fc = Dataset()
        fc.InStackPositionNumber = len(slices) - k
        fc.StackID = "1"
        fc.DimensionIndexValues = [1, len(slices) - k]
        f.FrameContentSequence = Sequence([fc])
        pv = Dataset()
        pv.RescaleSlope = f"{1 + 0.25 * k:g}" if vary else "1"
        pv.RescaleIntercept = f"{-5 * k:g}" if vary else "0"
        pv.RescaleType = "US"
        f.PixelValueTransformationSequence = Sequence([pv])
        per.append(f)
    ds.PerFrameFunctionalGroupsSequence = Sequence(per)
    ds.PixelData = b"".join(s.pixel_array.astype(s.pixel_array.dtype).tobytes() for s in slices)
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = ds.SOPClassUID
    meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta = meta
    ds.is_little_endian, ds.is_implicit_VR = True, False
    ds.save_as(os.path.join(out, "enhanced.dcm"), write_like_original=False)


def make_enhanced_ct(src_dir, out, oblique=False):
    from pydicom.dataset import Dataset, FileMetaDataset
    from pydicom.sequence import Sequence

    os.makedirs(out, exist_ok=True)
    files = sorted(f for f in os.listdir(src_dir) if not f.startswith("."))
    slices = [pydicom.dcmread(os.path.join(src_dir, f)) for f in files]
    slices.sort(key=lambda d: float(d.ImagePositionPatient[2]))
    slices = slices[::-1]  # frames in reverse spatial order: the reader must sort by position
    first = slices[0]
    iop = np.array([float(v) for v in first.ImageOrientationPatient])
    rot = np.eye(3)
    if oblique:
        t = math.radians(20.0)
        axis = iop[3:] / np.linalg.norm(iop[3:])  # about the column direction
        k = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
        rot = np.eye(3) + math.sin(t) * k + (1 - math.cos(t)) * (k @ k)
    ds = Dataset()
    for kw in ("PatientName", "PatientID", "PatientBirthDate", "PatientSex", "StudyInstanceUID", "StudyDate",
               "StudyTime", "StudyID", "AccessionNumber", "Manufacturer", "FrameOfReferenceUID", "SeriesDate",
               "SeriesNumber", "SeriesDescription", "InstanceNumber", "KVP", "BodyPartExamined"):
        if kw in first:
            setattr(ds, kw, getattr(first, kw))
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.2.1"
    ds.SOPInstanceUID = generate_uid(entropy_srcs=["voxelbase-enhanced-ct", src_dir, str(oblique)])
    ds.SeriesInstanceUID = generate_uid(entropy_srcs=["voxelbase-enhanced-ct-series", src_dir, str(oblique)])
    ds.Modality = "CT"
    ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL", "NONE"]
    ds.Rows, ds.Columns = first.Rows, first.Columns
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = 16, 16, 15
    ds.PixelRepresentation = 1
    ds.NumberOfFrames = len(slices)
    shared = Dataset()
    pm = Dataset()
    pm.PixelSpacing = first.PixelSpacing
    pm.SliceThickness = first.SliceThickness
    shared.PixelMeasuresSequence = Sequence([pm])
    po = Dataset()
    po.ImageOrientationPatient = [f"{v:.6f}" for v in np.concatenate([rot @ iop[:3], rot @ iop[3:]])]
    shared.PlaneOrientationSequence = Sequence([po])
    ds.SharedFunctionalGroupsSequence = Sequence([shared])
    centre = np.array([float(v) for v in first.ImagePositionPatient])
    per, frames = [], []
    for k, s in enumerate(slices):
        real = s.pixel_array.astype(np.int64) * int(float(s.RescaleSlope)) + int(float(s.RescaleIntercept))
        slope = 1.0 if k % 2 == 0 else 0.5
        inter = int(float(s.RescaleIntercept)) - 7 * k
        stored = np.round((real - inter) / slope).astype(np.int64)
        assert np.array_equal(stored * slope + inter, real) and stored.min() >= -32768 and stored.max() <= 32767
        frames.append(stored.astype(np.int16).tobytes())
        f = Dataset()
        pp = Dataset()
        ipp = centre + rot @ (np.array([float(v) for v in s.ImagePositionPatient]) - centre)
        pp.ImagePositionPatient = [f"{v:.6f}" for v in ipp]
        f.PlanePositionSequence = Sequence([pp])
        fc = Dataset()
        fc.InStackPositionNumber = len(slices) - k
        fc.StackID = "1"
        fc.DimensionIndexValues = [1, len(slices) - k]
        f.FrameContentSequence = Sequence([fc])
        pv = Dataset()
        pv.RescaleSlope = f"{slope:g}"
        pv.RescaleIntercept = f"{inter:g}"
        pv.RescaleType = "HU"
        f.PixelValueTransformationSequence = Sequence([pv])
        ft = Dataset()
        ft.FrameType = ["ORIGINAL", "PRIMARY", "AXIAL", "NONE"]
        f.CTImageFrameTypeSequence = Sequence([ft])
        per.append(f)
    ds.PerFrameFunctionalGroupsSequence = Sequence(per)
    ds.PixelData = b"".join(frames)
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = ds.SOPClassUID
    meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta = meta
    ds.is_little_endian, ds.is_implicit_VR = True, False
    ds.save_as(os.path.join(out, "enhanced-ct.dcm"), write_like_original=False)


def make_rotated_ct(src_dir, out):
    """The classic CT series of SRC turned exactly as `enhanced-ct --oblique` turns it (the reference)."""
    os.makedirs(out, exist_ok=True)
    files = sorted(f for f in os.listdir(src_dir) if not f.startswith("."))
    slices = [pydicom.dcmread(os.path.join(src_dir, f)) for f in files]
    top = max(slices, key=lambda d: float(d.ImagePositionPatient[2]))
    iop = np.array([float(v) for v in top.ImageOrientationPatient])
    t = math.radians(20.0)
    axis = iop[3:] / np.linalg.norm(iop[3:])
    k = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
    rot = np.eye(3) + math.sin(t) * k + (1 - math.cos(t)) * (k @ k)
    centre = np.array([float(v) for v in top.ImagePositionPatient])
    series_uid = generate_uid(entropy_srcs=["voxelbase-rotated-ct", src_dir])
    for f, ds in zip(files, slices):
        ds.SeriesInstanceUID = series_uid
        ds.SOPInstanceUID = generate_uid(entropy_srcs=[series_uid, f])
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        ds.ImageOrientationPatient = [f"{v:.6f}" for v in np.concatenate([rot @ iop[:3], rot @ iop[3:]])]
        ipp = centre + rot @ (np.array([float(v) for v in ds.ImagePositionPatient]) - centre)
        ds.ImagePositionPatient = [f"{v:.6f}" for v in ipp]
        ds.save_as(os.path.join(out, f), write_like_original=False)


COLIN = "/usr/share/mricron/templates/ch2.nii.gz"


def make_colin(out, kind, n):
    """Colin27 as a DICOM series: real anatomy in each stored layout the JPEG lossless tests need."""
    import nibabel as nib

    os.makedirs(out, exist_ok=True)
    img = nib.load(COLIN)
    vol = np.asarray(img.dataobj, dtype=np.float64)  # 181 x 217 x 181, RAS, 1 mm
    template = get_testdata_file("CT_small.dcm" if kind.startswith("ct") else "MR_small.dcm")
    src = pydicom.dcmread(template)
    series_uid = generate_uid(entropy_srcs=["voxelbase-colin", kind, str(n)])
    t = math.radians(20.0)
    row = np.array([math.cos(t), 0.0, math.sin(t)])  # along columns (x), tilted towards z
    col = np.array([0.0, 1.0, 0.0])
    normal = np.cross(row, col)
    mid = vol.shape[2] // 2
    yy, xx = np.mgrid[0:vol.shape[1], 0:vol.shape[0]]
    outside = (xx - vol.shape[0] / 2) ** 2 + (yy - vol.shape[1] / 2) ** 2 > 90.0 ** 2
    top = yy < vol.shape[1] / 2
    for k in range(n):
        z = mid - n // 2 + k
        # DICOM rows run top to bottom (anterior to posterior = -y in RAS), columns left to right.
        sl = vol[:, ::-1, z].T  # rows: y descending, columns: x ascending
        if kind == "ct-s16":
            stored = np.round(sl * 10.0 - 1000.0 + 1024.0)
            stored[outside & top] = -2000
            stored[outside & ~top] = -32768
            bits, signed, dtype = 16, 1, np.int16
        elif kind == "ct-s12":
            stored = np.clip(np.round(sl * 10.0 - 1000.0), -2048, 2047)
            stored[outside] = -2048
            bits, signed, dtype = 12, 1, np.int16
        elif kind == "mr-u16":
            stored = np.round(sl * 256.0)
            bits, signed, dtype = 16, 0, np.uint16
        elif kind == "mr-u12":
            stored = np.round(sl * 16.0)
            bits, signed, dtype = 12, 0, np.uint16
        else:
            sys.exit(f"unknown colin kind {kind}")
        ds = copy.deepcopy(src)
        ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds.SeriesInstanceUID = series_uid
        ds.SOPInstanceUID = generate_uid(entropy_srcs=[series_uid, str(k)])
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        ds.SeriesDescription = f"Colin27 {kind}"
        ds.InstanceNumber = k + 1
        ds.Rows, ds.Columns = sl.shape
        ds.PixelSpacing = ["1", "1"]
        ds.SliceThickness = "1"
        ds.ImageOrientationPatient = [f"{v:.6f}" for v in np.concatenate([row, col])]
        # LPS position of the first voxel: RAS (-90, 108, z - 72) turned into LPS, then moved along the normal.
        ipp = np.array([90.0, -108.0, 0.0]) + normal * (z - mid)
        ds.ImagePositionPatient = [f"{v:.6f}" for v in ipp]
        ds.SliceLocation = f"{z - mid:.1f}"
        ds.BitsAllocated, ds.BitsStored, ds.HighBit = 16, bits, bits - 1
        ds.PixelRepresentation = signed
        if kind.startswith("ct"):
            ds.RescaleSlope, ds.RescaleIntercept = "1", ("-1024" if kind == "ct-s16" else "0")
        for tag in (0x00280106, 0x00280107, 0x00280120, 0x00281050, 0x00281051):
            if tag in ds:
                del ds[tag]
        ds.PixelData = stored.astype(dtype).tobytes()
        ds.save_as(os.path.join(out, f"colin_{k:03d}.dcm"), write_like_original=False)


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "ct":
        args = sys.argv[2:]
        tilt = float(args[args.index("--tilt") + 1]) if "--tilt" in args else 0.0
        drop = int(args[args.index("--drop") + 1]) if "--drop" in args else -1
        make_ct(args[0], int(args[1]), tilt, drop)
    elif cmd == "mosaic":
        make_mosaic(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif cmd == "enhanced":
        make_enhanced(sys.argv[2], sys.argv[3], "--vary-rescale" in sys.argv[4:])
    elif cmd == "enhanced-ct":
        make_enhanced_ct(sys.argv[2], sys.argv[3], "--oblique" in sys.argv[4:])
    elif cmd == "rotate-ct":
        make_rotated_ct(sys.argv[2], sys.argv[3])
    elif cmd == "colin":
        make_colin(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif cmd == "bits":
        make_bits(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        sys.exit(f"unknown command {cmd}")
