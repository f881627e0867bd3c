// Series assembly after dcm2niix (nii_dicom_batch.cpp isSameSet and friends). Not implemented yet.
import type { Assembly, DicomHeader } from '../types.js';

/** Splits headers by series UID and stacking rules, sorts slices, builds affines and flags. */
export function assembleSeries(headers: DicomHeader[]): Assembly {
  void headers;
  throw new Error('not implemented');
}
