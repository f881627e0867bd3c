// Decodes the pixels of a VolumePlan into a Volume. Not implemented yet.
import type { ReadFileFn, Volume, VolumePlan } from '../types.js';

/**
 * Decodes every slice of the plan. Keeps the stored integer type with uniform RescaleSlope/Intercept in
 * sclSlope/sclInter (as dcm2niix); converts to Float32 real values when they vary per slice/frame.
 * MONOCHROME1 is inverted. Throws PixelDecodeError naming the file and transfer syntax.
 */
export async function loadVolume(plan: VolumePlan, readFile?: ReadFileFn): Promise<Volume> {
  void plan; void readFile;
  throw new Error('not implemented');
}
