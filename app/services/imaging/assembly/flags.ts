// Flags on an assembled volume, each with its reason: gantry tilt, non-uniform spacing, missing slices,
// mixed orientation, mosaic, colour, no pixels, single slice, missing geometry, unsupported or lossy
// transfer syntax. Spacing is judged from distances between consecutive ImagePositionPatient values with
// dcm2niix's 0.2 mm tolerance (kSliceTolerance); tilt from
// GantryDetectorTilt (0018,1120) or from positions that drift off the normal (dcm2niix
// computeGantryTiltPrecise does the same comparison).
import { transferSyntaxInfo } from '../dicom/transfer-syntax.js';
import type { DicomHeader, Vec3, VolumeFlag } from '../types.js';
import { dot, normalize, norm, sub } from './geometry.js';

/** dcm2niix's kSliceTolerance: gaps differing from the first by more than 0.2 mm count as varying. */
const SLICE_TOLERANCE_MM = 0.2;

/** Flags from the distances between consecutive slice positions (dcm2niix intersliceDistance). */
export function spacingFlags(gaps: number[]): VolumeFlag[] {
  if (gaps.length < 2) return [];
  const minGap = Math.min(...gaps);
  const maxGap = Math.max(...gaps);
  const flags: VolumeFlag[] = [];
  if (gaps.some((g) => Math.abs(g - gaps[0]) > SLICE_TOLERANCE_MM)) {
    const multiples = gaps.filter((g) => g > 1.5 * minGap);
    const integral = multiples.every((g) => Math.abs(g / minGap - Math.round(g / minGap)) < 0.1);
    if (multiples.length > 0 && integral) {
      const missing = multiples.reduce((s, g) => s + Math.round(g / minGap) - 1, 0);
      flags.push({
        code: 'missing-slices',
        reason: `Missing slices: about ${missing} slice(s) of ${minGap.toFixed(3)} mm spacing are absent (gaps up to ${maxGap.toFixed(3)} mm)`,
      });
    }
    flags.push({
      code: 'non-uniform-spacing',
      reason: `Non-uniform slice spacing: ${minGap.toFixed(3)} to ${maxGap.toFixed(3)} mm between positions (affine uses the first gap)`,
    });
  }
  return flags;
}

export function tiltFlag(header: DicomHeader, normal: Vec3, first: Vec3 | null, last: Vec3 | null): VolumeFlag | null {
  let angle = 0;
  if (first && last && norm(sub(last, first)) > 0) {
    const d = normalize(sub(last, first));
    const c = Math.min(1, Math.abs(dot(d, normalize(normal))));
    angle = (Math.acos(c) * 180) / Math.PI;
  }
  const declared = header.gantryTilt ?? 0;
  if (Math.abs(declared) > 0.01 || angle > 0.1) {
    return {
      code: 'gantry-tilt',
      reason: `Gantry tilt ${(Math.abs(declared) > 0.01 ? declared : angle).toFixed(2)} degrees (slices sheared along the table; not corrected, affine has no shear)`,
    };
  }
  return null;
}

export function imageFlags(header: DicomHeader, transferSyntaxes: string[]): VolumeFlag[] {
  const flags: VolumeFlag[] = [];
  if (!header.hasPixelData) flags.push({ code: 'no-pixels', reason: 'No pixel data (e.g. structured report or presentation state)' });
  if (header.samplesPerPixel > 1 || /^(RGB|YBR|PALETTE)/.test(header.photometric)) {
    flags.push({
      code: 'colour',
      reason: `Colour image (${header.photometric}, ${header.samplesPerPixel} samples per pixel): catalogued but not usable for learning`,
    });
  }
  if (header.mosaic.isMosaic && !mosaicTiles(header)) {
    flags.push({
      code: 'mosaic',
      reason: `Siemens mosaic (${header.mosaic.imagesInMosaic ?? 'unknown number of'} images per file): cannot be unpacked (number of images unknown or not a grid of the image size), not usable for learning`,
    });
  }
  for (const ts of transferSyntaxes) {
    const info = transferSyntaxInfo(ts);
    if (info.codec === 'unsupported') {
      flags.push({ code: 'unsupported-transfer-syntax', reason: `Transfer syntax ${ts} cannot be decoded` });
    } else if (info.lossy) {
      flags.push({ code: 'lossy-compression', reason: `Lossy compression (${info.name})` });
    }
  }
  return flags;
}

/** Tiling of a Siemens mosaic (dcm2niix nii_demosaic: ceil(sqrt(n)) tiles per row), or null. */
export function mosaicTiles(header: DicomHeader): { tilesPerRow: number; tileColumns: number; tileRows: number; slices: number } | null {
  const n = header.mosaic.imagesInMosaic ?? 0;
  if (!header.mosaic.isMosaic || n < 2) return null;
  const tilesPerRow = Math.ceil(Math.sqrt(n));
  if (header.columns % tilesPerRow !== 0 || header.rows % tilesPerRow !== 0) return null;
  return { tilesPerRow, tileColumns: header.columns / tilesPerRow, tileRows: header.rows / tilesPerRow, slices: n };
}
