// Real values of a volume (stored * sclSlope + sclInter) as Float32. Not implemented yet.
import type { Volume } from '../types.js';

export function scaledData(volume: Volume): Float32Array {
  void volume;
  throw new Error('not implemented');
}
