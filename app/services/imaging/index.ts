// Public API of the imaging core: DICOM headers, series assembly after dcm2niix, pixel decoding in every
// supported transfer syntax, NIfTI-1/-2 reading, NIfTI-1 writing, slices and thumbnails.
// Pure library code (no Electron, no catalogue); safe to call from worker threads (results are plain data).
//
//   parseDicomHeader(bytes, path, {fileSize?, allowNoPixelData?}) -> DicomHeader
//       stops before Pixel Data; `bytes` may be a prefix of the file (pass fileSize): if the prefix ends
//       before Pixel Data it throws DicomParseError reason 'incomplete-prefix' (read the whole file).
//       Other reasons: empty, not-dicom, truncated, no-pixel-data, corrupt. The header keeps no views on bytes.
//   assembleSeries(headers)         -> Assembly { volumes: VolumePlan[], notStacked: NotStackedReason[] }
//       split by series UID, then dcm2niix's isSameSet rules; slices sorted along the normal; repeated
//       positions make 4-D; affine/dims already in dcm2niix's on-disk layout (rows flipped, or 3-D MR
//       rotated to canonical); flags with reasons; usableForLearning.
//   loadVolume(plan, readFile?, {arena?}) -> Promise<Volume>  stored values + sclSlope/sclInter (Float32 real
//       values when rescale varies per slice/frame); voxels identical to dcm2niix's NIfTI. With the default
//       reader or readFileFromDiskSync, native little-endian greyscale frames are read straight into the volume
//       (in dcm2niix's layout). With a VoxelArena the voxels go into its reused buffers (valid until reset()).
//   undecodableFiles(plan, readFile?) -> [{path, message}] the files of a plan whose frames cannot be decoded
//       (each decoded on its own; run after loadVolume failed, to leave those files out and keep the rest).
//   canLoadSlicesDirect(plan) / loadVolumeSlices(plan, from, to, sharedBytes) / volumeFromSlices(plan, bytes, max)
//       the same fast path split by slice range, so several threads fill one SharedArrayBuffer volume.
//   writeNifti(volume, path) / encodeNifti(volume, {gzip})  NIfTI-1 .nii/.nii.gz with sform and qform;
//       writeNiftiSync(volume, path) the same for .nii, synchronously (worker threads).
//   readNiftiHeader(bytes, path)   header from the whole file or its first few KiB (.nii or .nii.gz).
//   readNifti(path, {volumes?, applyScaling?}) / readNiftiBytes(...) -> NiftiVolume[] (one per 3-D volume).
//   renderThumbnails(volume)        -> Thumbnails (axial/coronal/sagittal 8-bit, 1-99 percentile window)
//   windowTo8bit(slice, low, high, size) -> GrayImage8 (window, then bilinear resample to `size`)
//   percentileWindow(volume, lowP, highP, t?) -> {low, high}: percentiles of the real values (strided sample)
//   extractSlice(volume, axis, i?, t?) -> SliceImage (real values, display orientation)
//   sliceToVoxel(volume, axis)       -> 3x4 matrix: [i, j, k] = M [col, row, slice, 1] of extractSlice's pixels
//   encodePng(image)                -> Uint8Array (8-bit grey PNG)
//   scaledData(volume)              -> Float32Array of real values
//   matmul(a, b), voxelSizes(affine) 4x4 affine product; lengths of an affine's first three columns
export type * from './types.js';
export { DicomParseError, PixelDecodeError, NiftiError, AssemblyError, OrientationError } from './errors.js';

export { parseDicomHeader, looksLikeDicom } from './dicom/parse-header.js';
export {
  transferSyntaxInfo,
  isSupportedTransferSyntax,
  type TransferSyntaxInfo,
} from './dicom/transfer-syntax.js';
export { assembleSeries } from './assembly/assemble.js';
export {
  loadVolume,
  readFileFromDiskSync,
  canLoadSlicesDirect,
  directVolumeBytes,
  loadVolumeSlices,
  volumeFromSlices,
  type LoadVolumeOptions,
} from './volume/load-volume.js';
export { undecodableFiles, type UndecodableFile } from './volume/undecodable-files.js';
export { VoxelArena } from './volume/voxel-arena.js';
export { scaledData } from './volume/scaled-data.js';
export { matmul, voxelSizes } from './assembly/geometry.js';
export { readNiftiHeader, readNifti, readNiftiBytes, isNiftiPath } from './nifti/read.js';
export { writeNifti, writeNiftiSync, encodeNifti } from './nifti/write.js';
export { affineToQuatern, quaternToAffine, type Quatern } from './nifti/quaternion.js';
export { extractSlice, sliceToVoxel } from './thumbnails/extract-slice.js';
export { renderThumbnails, windowTo8bit } from './thumbnails/render-thumbnails.js';
export { percentileWindow } from './thumbnails/percentile-window.js';
export { encodePng } from './thumbnails/png.js';
