// NIfTI-1 and NIfTI-2 reading (.nii, .nii.gz) via nifti-reader-js. Not implemented yet.
import type { NiftiHeaderInfo, NiftiVolume, ReadNiftiOptions } from '../types.js';

/** Header of a .nii / .nii.gz (bytes may be gzipped). Throws NiftiError. */
export function readNiftiHeader(bytes: Uint8Array, path: string): NiftiHeaderInfo {
  void bytes; void path;
  throw new Error('not implemented');
}

/** One NiftiVolume per 3-D volume (or those asked for). Throws NiftiError. */
export function readNiftiBytes(bytes: Uint8Array, path: string, options?: ReadNiftiOptions): NiftiVolume[] {
  void bytes; void path; void options;
  throw new Error('not implemented');
}

export async function readNifti(path: string, options?: ReadNiftiOptions): Promise<NiftiVolume[]> {
  void path; void options;
  throw new Error('not implemented');
}

/** .nii or .nii.gz (case-insensitive). */
export function isNiftiPath(path: string): boolean {
  return /\.nii(\.gz)?$/i.test(path);
}
