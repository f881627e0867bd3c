// NIfTI-1 writing (.nii, .nii.gz) with sform and qform. Not implemented yet.
import type { Volume, WriteNiftiOptions } from '../types.js';

/** Single-file NIfTI-1 bytes (.nii layout, vox_offset 352); gzip when `gzip` is true. */
export function encodeNifti(volume: Volume, options?: WriteNiftiOptions & { gzip?: boolean }): Uint8Array {
  void volume; void options;
  throw new Error('not implemented');
}

/** Writes .nii or .nii.gz (chosen by the extension). */
export async function writeNifti(volume: Volume, path: string, options?: WriteNiftiOptions): Promise<void> {
  void volume; void path; void options;
  throw new Error('not implemented');
}
