// One anatomical slice of a volume in display orientation. Not implemented yet.
import type { SliceAxis, SliceImage, Volume } from '../types.js';

/** index defaults to the middle slice when omitted; t selects the volume of 4-D data (default 0). */
export function extractSlice(volume: Volume, axis: SliceAxis, index?: number, t?: number): SliceImage {
  void volume; void axis; void index; void t;
  throw new Error('not implemented');
}
