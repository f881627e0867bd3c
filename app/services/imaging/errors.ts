// Domain errors of the imaging core. Messages name the file or series; `reason` is a stable code that
// the import stores per file.
import { VoxelbaseError } from '../../contract/errors.js';
import type { DicomParseReason } from './types.js';

/** A file that cannot be read as DICOM (or not as an image). */
export class DicomParseError extends VoxelbaseError {
  constructor(
    readonly path: string,
    readonly reason: DicomParseReason,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`${path}: ${detail}`, options);
  }
}

/** Pixel data that cannot be decoded (codec failure, unsupported syntax, wrong length). */
export class PixelDecodeError extends VoxelbaseError {
  constructor(
    readonly path: string,
    readonly transferSyntaxUid: string,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`${path} (transfer syntax ${transferSyntaxUid}): ${detail}`, options);
  }
}

/** A NIfTI file that cannot be read (corrupt gzip, bad header, truncated data). */
export class NiftiError extends VoxelbaseError {
  constructor(
    readonly path: string,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`${path}: ${detail}`, options);
  }
}

/** A series that cannot be assembled into a volume (no slices, no geometry ...). */
export class AssemblyError extends VoxelbaseError {
  constructor(
    readonly seriesUid: string,
    detail: string,
  ) {
    super(`series ${seriesUid}: ${detail}`);
  }
}

/** A matrix that is not a valid voxel-to-world affine (singular, not 4x4). */
export class OrientationError extends VoxelbaseError {}
