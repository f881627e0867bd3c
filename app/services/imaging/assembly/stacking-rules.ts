// Whether two DICOM images belong in the same volume, after dcm2niix's isSameSet()
// (console/nii_dicom_batch.cpp, rordenlab/dcm2niix; re-implemented, not copied). The checks run in
// dcm2niix's order and the first difference found is returned as a dcm2niix-style reason; null means
// "stack together". As in dcm2niix's default (isForceStackSameSeries = 2), CT/X-ray images (those with
// XRayExposure) of one series stack once manufacturer, modality, derived, series, study and
// dimensions agree; MR images must also agree in complex component, TR, flip angle, echo, coil,
// protocol name and orientation. One deliberate difference: orientation is checked for CT too.
import type { DicomHeader } from '../types.js';

/** dcm2niix's isSameFloat tolerance for TE/TR/flip angle. */
const FLOAT_TOL = 0.0001;
/** dcm2niix compares orientation cosines with a GE-friendly tolerance. */
const ORIENT_TOL = 0.0001;

function same(a: number | null, b: number | null, tol = FLOAT_TOL): boolean {
  if (a === null && b === null) return true;
  return Math.abs((a ?? 0) - (b ?? 0)) <= tol;
}

function isXRay(h: DicomHeader): boolean {
  return h.xRayExposure !== null && (h.echoTime === null || h.echoTime === 0);
}

export interface FrameShape {
  header: DicomHeader;
  /** Orientation of this frame (per-frame for enhanced objects). */
  orientation: DicomHeader['imageOrientationPatient'];
  /** Echo time of this frame (per-frame for enhanced objects). */
  echoTime: number | null;
}

/** Reason the two images are not stacked, or null when they are. */
export function stackingDifference(a: FrameShape, b: FrameShape): string | null {
  const d1 = a.header;
  const d2 = b.header;
  if (d1.series.manufacturer !== d2.series.manufacturer) return 'Volumes not stacked: manufacturer varies';
  if (d1.series.modality !== d2.series.modality) return 'Volumes not stacked: modality varies';
  if (d1.isDerived !== d2.isDerived) return 'Volumes not stacked: derived varies';
  if (d1.series.number !== d2.series.number) return 'Volumes not stacked: series number varies';
  const sameStudy = d1.study.uid.length > 1 && d1.study.uid === d2.study.uid;
  const sameTime = d1.study.date === d2.study.date && d1.study.time === d2.study.time;
  if (!sameStudy && !sameTime) return 'Slices not stacked: Study Date/Time and Study UID vary';
  if (d1.rows !== d2.rows || d1.columns !== d2.columns || (d1.isEnhanced ? 1 : d1.numberOfFrames) !== (d2.isEnhanced ? 1 : d2.numberOfFrames)) {
    return 'Slices not stacked: dimensions vary across slices';
  }
  if (d1.samplesPerPixel !== d2.samplesPerPixel || d1.bitsAllocated !== d2.bitsAllocated) {
    return 'Slices not stacked: pixel format varies across slices';
  }
  if (!sameTime && !sameStudy) return 'Slices not stacked: Study Date/Time varies';
  if (!isXRay(d1)) {
    if (d1.complexComponent !== d2.complexComponent) {
      return 'Slices not stacked: some are phase/real/imaginary/phase maps, others are not';
    }
    if (!same(d1.repetitionTime, d2.repetitionTime)) return 'Slices not stacked: TR varies';
    if (!same(d1.flipAngle, d2.flipAngle)) return 'Slices not stacked: flip angle varies';
    if (!same(a.echoTime, b.echoTime) || d1.echoNumber !== d2.echoNumber) {
      return d1.xRayExposure !== null ? 'Slices not stacked: X-Ray Exposure varies' : 'Slices not stacked: echo varies';
    }
    if (d1.receiveCoil !== d2.receiveCoil) return 'Slices not stacked: coil varies';
    if ((d1.series.protocol || d2.series.protocol) && d1.series.protocol !== d2.series.protocol) {
      return 'Slices not stacked: protocol name varies';
    }
  }
  {
    // Unlike dcm2niix (which force-stacks CT before this check), orientation also splits CT series,
    // so that localizers in the same series never end up inside an axial volume.
    const o1 = a.orientation;
    const o2 = b.orientation;
    if ((o1 === null) !== (o2 === null)) return 'Slices not stacked: orientation varies (vNav or localizer?)';
    if (o1 && o2 && o1.some((v, i) => Math.abs(v - o2[i]) > ORIENT_TOL)) {
      return 'Slices not stacked: orientation varies (vNav or localizer?)';
    }
  }
  if (d1.series.uid !== d2.series.uid) return 'Slices not stacked: series instance UID varies';
  return null;
}
