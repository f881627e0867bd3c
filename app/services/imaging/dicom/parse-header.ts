// Reads a DICOM header (everything before Pixel Data) into a DicomHeader. Not implemented yet.
import type { DicomHeader, ParseDicomOptions } from '../types.js';

/**
 * Parses the dataset up to (not including) the Pixel Data value. Handles Part 10 files and raw datasets
 * without preamble (implicit VR LE), explicit VR LE/BE, and deflated explicit VR LE (PS3.5 A.5).
 * Throws DicomParseError (reason: empty, not-dicom, truncated, no-pixel-data, corrupt, incomplete-prefix).
 */
export function parseDicomHeader(bytes: Uint8Array, path: string, options?: ParseDicomOptions): DicomHeader {
  void bytes; void path; void options;
  throw new Error('not implemented');
}

/** Cheap sniff: "DICM" at offset 128, or a plausible implicit/explicit VR group 0002/0008 start. */
export function looksLikeDicom(bytes: Uint8Array): boolean {
  void bytes;
  throw new Error('not implemented');
}
