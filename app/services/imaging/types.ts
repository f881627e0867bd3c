// Plain data types of the imaging core (DICOM headers, assembly plans, volumes, NIfTI headers).
// Everything here is structured-clone safe (plain objects and typed arrays) so it can cross worker threads.
// Geometry conventions follow NIfTI-1 / dcm2niix: affines map voxel indices (i, j, k) to RAS+ millimetres,
// stored row-major as 4 rows of 4 numbers (the last row is [0, 0, 0, 1]).

import type { VoxelArray } from '../../contract/types.js';

/** A 3-vector (patient coordinates in LPS for DICOM fields, RAS for NIfTI affines). */
export type Vec3 = [number, number, number];

/** ImageOrientationPatient: row direction cosines then column direction cosines (PS3.3 C.7.6.2.1.1). */
export type Orientation6 = [number, number, number, number, number, number];

/** Row-major 4x4 matrix; `affine[r][c]`. */
export type Affine = [
  [number, number, number, number],
  [number, number, number, number],
  [number, number, number, number],
  [number, number, number, number],
];

/** Voxel storage (one type with the renderer, so declared in the contract). Colour volumes store interleaved RGB bytes (Uint8Array, components = 3). */
export type { VoxelArray };

/** Names of the NIfTI datatypes Voxelbase reads and writes (NIfTI-1 header docs, `datatype`). */
export type NiftiDatatypeName =
  | 'uint8'
  | 'int8'
  | 'uint16'
  | 'int16'
  | 'uint32'
  | 'int32'
  | 'float32'
  | 'float64'
  | 'rgb24';

// ---------------------------------------------------------------------------------------------
// DICOM header
// ---------------------------------------------------------------------------------------------

/** One frame of an enhanced multi-frame object (Per-Frame Functional Groups, PS3.3 C.7.6.16). */
export interface DicomFrameInfo {
  /** 0-based frame index within the file. */
  index: number;
  imagePositionPatient: Vec3 | null;
  imageOrientationPatient: Orientation6 | null;
  pixelSpacing: [number, number] | null;
  sliceThickness: number | null;
  rescaleSlope: number;
  rescaleIntercept: number;
  /** Frame Content Sequence (0020,9111) values when present. */
  stackId: string | null;
  inStackPositionNumber: number | null;
  temporalPositionIndex: number | null;
  dimensionIndexValues: number[] | null;
  echoTime: number | null;
}

export interface DicomMosaicInfo {
  /** ImageType contains MOSAIC (Siemens). */
  isMosaic: boolean;
  /** CSA image header NumberOfImagesInMosaic, when the CSA header (0029,1010) could be read. */
  imagesInMosaic: number | null;
  /** Siemens SliceNormalVector from the CSA header, when readable. */
  sliceNormalVector: Vec3 | null;
}

export interface DicomPixelDataInfo {
  /** Byte offset of the Pixel Data value in the (inflated, for deflate) dataset bytes. */
  offset: number;
  /** Declared value length; -1 (undefined length) for encapsulated pixel data. */
  length: number;
  encapsulated: boolean;
}

export interface DicomHeader {
  path: string;
  /** Size of the whole file in bytes. */
  fileSize: number;
  sopInstanceUid: string;
  sopClassUid: string;
  /** Transfer syntax UID (1.2.840.10008.1.2 when there is no file meta information). */
  transferSyntaxUid: string;
  patient: { id: string; name: string; birthDate: string; sex: string };
  study: { uid: string; date: string; time: string; description: string; accession: string; id: string };
  series: {
    uid: string;
    number: number | null;
    description: string;
    modality: string;
    bodyPart: string;
    date: string;
    time: string;
    manufacturer: string;
    model: string;
    protocol: string;
  };
  frameOfReferenceUid: string;
  rows: number;
  columns: number;
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  /** 0 unsigned, 1 two's complement. */
  pixelRepresentation: number;
  samplesPerPixel: number;
  photometric: string;
  planarConfiguration: number;
  numberOfFrames: number;
  imagePositionPatient: Vec3 | null;
  imageOrientationPatient: Orientation6 | null;
  /** PixelSpacing: [row spacing (between rows, mm), column spacing (between columns, mm)]. */
  pixelSpacing: [number, number] | null;
  sliceThickness: number | null;
  spacingBetweenSlices: number | null;
  /** Defaults 1 and 0 when absent. */
  rescaleSlope: number;
  rescaleIntercept: number;
  hasRescale: boolean;
  windowCenter: number | null;
  windowWidth: number | null;
  instanceNumber: number | null;
  acquisitionNumber: number | null;
  acquisitionTime: string;
  echoNumber: number | null;
  echoTime: number | null;
  repetitionTime: number | null;
  /** GantryDetectorTilt (0018,1120) in degrees. */
  gantryTilt: number | null;
  imageType: string[];
  /** ImageType value 1 is DERIVED (dcm2niix never stacks original with derived). */
  isDerived: boolean;
  /** Complex component from ImageType / ComplexImageComponent: 'magnitude' unless phase/real/imaginary. */
  complexComponent: 'magnitude' | 'phase' | 'real' | 'imaginary';
  flipAngle: number | null;
  receiveCoil: string;
  /** MRAcquisitionType (0018,0023): '2D' | '3D' | ''. */
  mrAcquisitionType: string;
  scanningSequence: string;
  sequenceName: string;
  /** EchoPulseSequence/ScanningSequence says EPI. */
  isEpi: boolean;
  /** CT XRayExposure (0018,1152), which dcm2niix uses like the echo time of MR. */
  xRayExposure: number | null;
  /** True when the object has a Pixel Data (7FE0,0010) element (or Float/Double Float Pixel Data). */
  hasPixelData: boolean;
  pixelData: DicomPixelDataInfo | null;
  /** Enhanced multi-frame (has Per-Frame Functional Groups). */
  isEnhanced: boolean;
  /** Per-frame geometry and rescale for enhanced multi-frame objects; null otherwise. */
  frames: DicomFrameInfo[] | null;
  mosaic: DicomMosaicInfo;
  /** Parser warnings worth keeping (e.g. "missing file meta, assumed implicit VR LE"). */
  warnings: string[];
}

export interface ParseDicomOptions {
  /**
   * Size of the whole file when `bytes` is only its beginning. If the prefix ends before the Pixel
   * Data element, a DicomParseError with reason 'incomplete-prefix' asks the caller for the whole file.
   */
  fileSize?: number;
  /** Return a header (hasPixelData false) instead of throwing reason 'no-pixel-data'. Default false. */
  allowNoPixelData?: boolean;
}

/** Why a file could not be used; stored per file by the import. */
export type DicomParseReason =
  | 'empty'
  | 'not-dicom'
  | 'truncated'
  | 'no-pixel-data'
  | 'corrupt'
  | 'unsupported-transfer-syntax'
  | 'incomplete-prefix';

// ---------------------------------------------------------------------------------------------
// Assembly (series -> volumes), after dcm2niix
// ---------------------------------------------------------------------------------------------

export type VolumeFlagCode =
  | 'gantry-tilt'
  | 'non-uniform-spacing'
  | 'missing-slices'
  | 'mixed-orientation'
  | 'mosaic'
  | 'colour'
  | 'no-pixels'
  | 'single-slice'
  | 'no-geometry'
  | 'unsupported-transfer-syntax'
  | 'lossy-compression'
  | 'duplicate-positions';

export interface VolumeFlag {
  code: VolumeFlagCode;
  /** Human-readable reason, e.g. "Gantry tilt 15.0 degrees (not corrected)". */
  reason: string;
}

/** One 2-D image that goes into a volume: a file, and a frame within it (0 for single-frame). */
export interface SliceRef {
  path: string;
  frame: number;
  sopInstanceUid: string;
  instanceNumber: number | null;
  /** ImagePositionPatient of this slice/frame (LPS mm), when known. */
  position: Vec3 | null;
  rescaleSlope: number;
  rescaleIntercept: number;
  transferSyntaxUid: string;
  /** Siemens mosaic: index of the tile (slice) within the mosaic image, row-major. */
  tile?: number;
  /** Native (not encapsulated) Pixel Data: byte offset of its value in the file, from the header parse;
   * lets loadVolume read the voxels straight into the volume (checked against the element tag there). */
  pixelOffset?: number;
}

/** How a Siemens mosaic image is cut into slices (tiles of tileColumns x tileRows, tilesPerRow across). */
export interface MosaicLayout {
  tilesPerRow: number;
  tileColumns: number;
  tileRows: number;
  slices: number;
}

/** How natural DICOM voxels (column, row, slice) are laid out on output: axis i reads natural axis
 * permute[i], reversed when flip[i]. dcm2niix flips rows (flipY) or, for 3-D MR, rotates to canonical. */
export interface VoxelLayout {
  permute: [number, number, number];
  flip: [boolean, boolean, boolean];
}

export interface VolumePlan {
  /** Stable key within the assembly, `${seriesUid}` or `${seriesUid}#n` when a series splits. */
  key: string;
  seriesUid: string;
  /** Series description + what distinguishes this volume (echo, orientation ...). */
  label: string;
  /** Representative header (first slice after sorting). */
  header: DicomHeader;
  /** Slices in volume order: z fastest after in-plane, then t (volume index). */
  slices: SliceRef[];
  /** [columns, rows, slices] or [columns, rows, slices, volumes]. */
  dims: number[];
  /** Voxel to RAS+ mm, as dcm2niix's sform (after `layout`). */
  affine: Affine;
  /** Natural layout -> output layout (dims and affine above are the output's). */
  layout: VoxelLayout;
  /** Voxel sizes [dx, dy, dz] in mm (dz from positions). */
  spacing: Vec3;
  /** Affine's rotation is not axis-aligned (information only). */
  oblique: boolean;
  flags: VolumeFlag[];
  /** False for colour, no pixels, unsupported syntaxes, unpacked-less mosaics ... (reasons in flags). */
  usableForLearning: boolean;
  transferSyntaxes: string[];
  /** Samples per pixel (1 grey, 3 colour). */
  components: number;
  /** Set when the slices are tiles of Siemens mosaic images (unpacked by loadVolume). */
  mosaic?: MosaicLayout;
}

export interface NotStackedReason {
  seriesUid: string;
  /** dcm2niix-style text, e.g. "Volumes not stacked: different image orientation". */
  reason: string;
  /** Volume keys that were split apart for this reason. */
  volumes: string[];
}

export interface Assembly {
  volumes: VolumePlan[];
  notStacked: NotStackedReason[];
}

// ---------------------------------------------------------------------------------------------
// Volumes and NIfTI
// ---------------------------------------------------------------------------------------------

export interface Volume {
  /** [x, y, z] or [x, y, z, t]. */
  dims: number[];
  /** x fastest, then y, z, t; components interleaved per voxel when components > 1. */
  data: VoxelArray;
  datatype: NiftiDatatypeName;
  components: number;
  /** Voxel to RAS+ mm (NIfTI sform). */
  affine: Affine;
  spacing: Vec3;
  /** Real value = stored * sclSlope + sclInter (NIfTI scl_slope / scl_inter; 1 and 0 when data are real values). */
  sclSlope: number;
  sclInter: number;
  description?: string;
}

export interface NiftiHeaderInfo {
  path: string;
  version: 1 | 2;
  littleEndian: boolean;
  /** dim[1..dim[0]]. */
  dims: number[];
  /** pixdim[1..dim[0]]. */
  pixdim: number[];
  datatypeCode: number;
  datatype: NiftiDatatypeName | null;
  bitpix: number;
  voxOffset: number;
  sclSlope: number;
  sclInter: number;
  qformCode: number;
  sformCode: number;
  qformAffine: Affine;
  sformAffine: Affine | null;
  /** The affine NIfTI prescribes: sform when sform_code > 0, else qform when qform_code > 0, else pixdim. */
  affine: Affine;
  affineSource: 'sform' | 'qform' | 'pixdim';
  description: string;
  xyztUnits: number;
  intentCode: number;
  /** Number of 3-D volumes (product of dims beyond the third, at least 1). */
  volumeCount: number;
}

export interface NiftiVolume extends Volume {
  /** 0-based volume index within the file. */
  index: number;
  /** Number of volumes in the file. */
  count: number;
  header: NiftiHeaderInfo;
}

export interface ReadNiftiOptions {
  /** Which 3-D volumes to return (0-based); all when omitted. */
  volumes?: number[];
  /** Apply scl_slope/scl_inter into Float32 data (default true); false keeps stored values and scl fields. */
  applyScaling?: boolean;
}

export interface WriteNiftiOptions {
  /** Written in `descrip` (80 bytes max). */
  description?: string;
  /** qform_code and sform_code; default 1 (scanner anatomical), as dcm2niix. */
  xformCode?: number;
}

// ---------------------------------------------------------------------------------------------
// Slices and thumbnails
// ---------------------------------------------------------------------------------------------

/** Anatomical plane, chosen through the affine (the voxel axis closest to each RAS axis). */
export type SliceAxis = 'axial' | 'coronal' | 'sagittal';

/**
 * A 2-D slice in display orientation: axial and coronal shown with patient right on the image's left
 * (radiological), anterior/superior up; sagittal with anterior on the left, superior up.
 */
export interface SliceImage {
  width: number;
  height: number;
  /** Real values (scl applied), row-major, row 0 at the top. Colour volumes give luminance. */
  data: Float32Array;
  /** Pixel sizes in mm: [horizontal, vertical]. */
  pixelSize: [number, number];
  axis: SliceAxis;
  index: number;
  /** Number of slices along this axis. */
  count: number;
}

export interface GrayImage8 {
  width: number;
  height: number;
  /** Row-major 8-bit grey. */
  data: Uint8Array;
}

export interface Thumbnails {
  axial: GrayImage8;
  coronal: GrayImage8;
  sagittal: GrayImage8;
  /** The window used (percentiles 1 and 99 of the real values). */
  window: { low: number; high: number };
}

export interface ThumbnailOptions {
  /** Largest side of each thumbnail in pixels (default 128; aspect kept using the voxel sizes). */
  size?: number;
  /** Percentiles for the window (default [1, 99]). */
  percentiles?: [number, number];
  /** Volume index for 4-D volumes (default 0). */
  t?: number;
}

/** Reads a whole file; defaults to node:fs/promises readFile. */
export type ReadFileFn = (path: string) => Promise<Uint8Array>;
