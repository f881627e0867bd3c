// Real values of a volume (stored * sclSlope + sclInter, NIfTI-1 scl_slope/scl_inter semantics; a slope
// of 0 means "no scaling") as Float32. Colour volumes give luminance (ITU-R BT.601 weights).
import type { Volume } from '../types.js';

export function scaledData(volume: Volume): Float32Array {
  const { data, components } = volume;
  const slope = volume.sclSlope === 0 || !Number.isFinite(volume.sclSlope) ? 1 : volume.sclSlope;
  const inter = Number.isFinite(volume.sclInter) ? volume.sclInter : 0;
  const n = data.length / components;
  const out = new Float32Array(n);
  if (components === 3) {
    for (let i = 0; i < n; i++) out[i] = 0.299 * data[3 * i] + 0.587 * data[3 * i + 1] + 0.114 * data[3 * i + 2];
    return out;
  }
  for (let i = 0; i < n; i++) out[i] = data[i] * slope + inter;
  return out;
}
