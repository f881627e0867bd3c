// Public API of the imaging core: DICOM headers, series assembly after dcm2niix, pixel decoding in every
// supported transfer syntax, NIfTI-1/-2 reading, NIfTI-1 writing, slices and thumbnails.
// Pure library code (no Electron, no catalogue); safe to call from worker threads.
//
//   parseDicomHeader(bytes, path)   -> DicomHeader          (stops before Pixel Data; throws DicomParseError)
//   assembleSeries(headers)         -> Assembly             (VolumePlans + "Volumes not stacked" reasons)
//   loadVolume(plan, readFile?)     -> Promise<Volume>      (decodes pixels; stored integers + sclSlope/sclInter)
//   writeNifti(volume, path)        -> Promise<void>        (.nii or .nii.gz, sform and qform)
//   readNifti(path)                 -> Promise<NiftiVolume[]> (one per 3-D volume; throws NiftiError)
//   renderThumbnails(volume)        -> Thumbnails           (axial/coronal/sagittal 8-bit, 1-99 percentile window)
//   extractSlice(volume, axis, i)   -> SliceImage           (real values, display orientation)
//   encodePng(image)                -> Uint8Array           (8-bit grey PNG)
export type * from './types.js';
export { DicomParseError, PixelDecodeError, NiftiError, AssemblyError, OrientationError } from './errors.js';

export { parseDicomHeader, looksLikeDicom } from './dicom/parse-header.js';
export {
  transferSyntaxInfo,
  isSupportedTransferSyntax,
  type TransferSyntaxInfo,
} from './dicom/transfer-syntax.js';
export { assembleSeries } from './assembly/assemble.js';
export { loadVolume } from './volume/load-volume.js';
export { scaledData } from './volume/scaled-data.js';
export { readNiftiHeader, readNifti, readNiftiBytes, isNiftiPath } from './nifti/read.js';
export { writeNifti, encodeNifti } from './nifti/write.js';
export { affineToQuatern, quaternToAffine, type Quatern } from './nifti/quaternion.js';
export { extractSlice } from './thumbnails/extract-slice.js';
export { renderThumbnails } from './thumbnails/render-thumbnails.js';
export { encodePng } from './thumbnails/png.js';
