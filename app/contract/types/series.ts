// series:*: catalogue rows, details, thumbnails, slices and facets.
import type { NotImportedFile } from './import.js';

/**
 * 'importing': being written (a kill -9 leaves it so; the next import redoes it; never counted as catalogued).
 * 'missing-files': some or all of its files were gone at the last rescan (see flags).
 * 'failed': catalogued from its headers, but its voxels could not be loaded (reason in flags).
 */
export type SeriesStatus = 'importing' | 'complete' | 'missing-files' | 'failed';

export interface SeriesFlag {
  /** Stable code: gantry-tilt, non-uniform-spacing, missing-slices, mixed-orientation, mosaic, colour ... */
  code: string;
  reason: string;
}

export interface SeriesRow {
  id: number;
  kind: 'dicom' | 'nifti';
  /** DICOM SeriesInstanceUID; for NIfTI 'nifti:<absolute path>'. */
  seriesUid: string;
  /** Which volume of a split DICOM series (dcm2niix's "not stacked"), '' when not split. */
  volumeKey: string;
  patient: { id: number; patientId: string; name: string; sex: string; birthDate: string };
  study: { id: number; uid: string; date: string; description: string; accession: string };
  seriesNumber: number | null;
  modality: string;
  bodyPart: string;
  description: string;
  /** Series date (study date when absent), YYYY-MM-DD, '' when unknown. */
  date: string;
  manufacturer: string;
  /** [x, y, z] (3-D) or [x, y, z, t] (4-D: t volumes, each addressable by index). */
  dims: number[];
  /** Voxel sizes in mm [x, y, z] (z from positions, never SliceThickness). */
  spacing: [number, number, number];
  /** Three-letter axis codes of the voxel axes, e.g. 'LPS' after dcm2niix's RAS affine ('RAS', 'LAS' ...). */
  orientation: string;
  oblique: boolean;
  sliceCount: number;
  volumeCount: number;
  fileCount: number;
  transferSyntaxes: string[];
  flags: SeriesFlag[];
  status: SeriesStatus;
  usableForLearning: boolean;
  /** Why not usable for learning (colour, no pixels, missing slices ...), null when usable. */
  unusableReason: string | null;
  importedAt: string;
  updatedAt: string;
}

export interface SeriesPage {
  /** Rows matching the filter (before offset/limit). */
  total: number;
  rows: SeriesRow[];
}

export interface SeriesFile {
  path: string;
  size: number;
  /** ms since epoch. */
  mtimeMs: number;
  sopInstanceUid: string;
  instanceNumber: number | null;
  /** Frame within the file (enhanced multi-frame), 0 otherwise. */
  frame: number;
  /** Gone from disk at the last rescan. */
  missing: boolean;
}

export interface SeriesDetail extends SeriesRow {
  /** Voxel (i, j, k) to RAS+ mm, row-major 4x4 (NIfTI sform, as dcm2niix writes it). */
  affine: number[][];
  /** Default display window from the DICOM header, null when absent. */
  window: { center: number; width: number } | null;
  /** Slices in volume order (at most 5000 listed; fileCount has the total). */
  files: SeriesFile[];
  /** dcm2niix-style reasons why slices of this series UID were not stacked into one volume. */
  notStacked: string[];
  /** Files of this series that were not imported (left out), each with its reason. */
  notImported: NotImportedFile[];
}

export type SeriesAxis = 'axial' | 'coronal' | 'sagittal';

export interface SeriesThumbnail {
  axis: SeriesAxis;
  width: number;
  height: number;
  /** `data:image/png;base64,...` usable as an <img> src. */
  dataUrl: string;
}

export interface SeriesSlice {
  axis: SeriesAxis;
  /** Slice index along the axis, and the number of slices. */
  index: number;
  count: number;
  /** Volume index (4-D), and the number of volumes. */
  volume: number;
  volumeCount: number;
  width: number;
  height: number;
  /** Row-major, row 0 at the top, radiological display (patient right on the left for axial/coronal). */
  dtype: 'float32' | 'int16';
  /** base64 of little-endian raw values; rescale slope/intercept (scl) already applied. */
  data: string;
  min: number;
  max: number;
  /** Pixel sizes in mm: [horizontal, vertical]. */
  pixelSize: [number, number];
  /** Default display window (DICOM header, else the 1st-99th percentile of the volume). */
  window: { center: number; width: number };
  /**
   * Percentiles of the volume's real values (a strided sample, as the thumbnails' window), for percentile
   * window presets that stay put while the slices scroll: p 0.1, 1, 5, 95, 99, 99.9.
   */
  percentiles: { p: number; value: number }[];
  /**
   * Pixel (column, row) of slice `index` -> voxel: [i, j, k] = sliceToVoxel [col, row, index, 1] (3x4, a signed
   * permutation plus offsets). The same for every slice of an axis.
   */
  sliceToVoxel: number[][];
  /** Voxel (i, j, k) -> RAS+ mm, row-major 4x4 (the series' affine, as in SeriesDetail). */
  affine: number[][];
}

/** One voxel of an assembled volume (`series:voxel`, `voxelbase volume voxel`). */
export interface SeriesVoxel {
  id: number;
  volume: number;
  /** Voxel index [i, j, k] (NIfTI order, as `voxelbase volume export` writes it). */
  voxel: [number, number, number];
  /** The real value (rescale slope/intercept applied: Hounsfield units for CT; luminance for colour). */
  value: number;
  /** Its centre in RAS+ mm (the affine applied). */
  ras: [number, number, number];
}

/** A patient with the series of theirs that match a filter (the Library's patient -> study -> series view). */
export interface PatientGroup {
  /** Catalogue id of the patient. */
  id: number;
  patientId: string;
  name: string;
  sex: string;
  birthDate: string;
  studyCount: number;
  seriesCount: number;
  /** Distinct modalities of those series, sorted. */
  modalities: string[];
  /** Earliest and latest series date (YYYY-MM-DD), '' when unknown. */
  dateFrom: string;
  dateTo: string;
}

export interface PatientGroupPage {
  /** Patients with at least one matching series. */
  total: number;
  /** Matching series of all those patients. */
  seriesTotal: number;
  rows: PatientGroup[];
}

/** A study of a patient, with the count of its series that match a filter. */
export interface StudyGroup {
  id: number;
  /** Catalogue id of its patient. */
  patient: number;
  uid: string;
  date: string;
  description: string;
  accession: string;
  seriesCount: number;
  modalities: string[];
}

/**
 * Voxel or pixel samples as one typed array, for each storage type Voxelbase reads (the NIfTI-1 / DICOM
 * integer and float types); colour is interleaved RGB bytes in a Uint8Array. The imaging core stores volumes
 * in it and the renderer decodes `SeriesSlice.data` into it.
 */
export type VoxelArray =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array;

export interface FacetCount {
  value: string;
  count: number;
}

export interface SeriesFacets {
  modalities: FacetCount[];
  bodyParts: FacetCount[];
  statuses: FacetCount[];
  /** Earliest and latest series dates (YYYY-MM-DD), '' when none. */
  dateRange: { min: string; max: string };
  total: number;
}
