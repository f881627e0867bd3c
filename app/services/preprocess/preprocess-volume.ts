// One volume through the preprocessing recipe (DESIGN §4, §5a), as a pure function of its real values:
//   1. anti-aliasing: Gaussian pre-filter in source voxels with sigma = max(0, (zoom - 1) / 2) per axis
//      (scikit-image's resize rule; output-grid.ts), only where the grid is coarser than the source;
//   2. canonical RAS orientation and target spacing in one trilinear resampling onto nibabel's
//      resample_to_output grid (output-grid.ts, resample.ts); voxels outside the source's field of view are NaN;
//   3. modality-aware intensity statistics and the foreground (intensity.ts);
//   4. the foreground box: empty background slices dropped (foreground-box.ts);
//   5. normalisation, then the box cut out.
import type { Affine } from '../imaging/index.js';
import type { PreprocessSettings } from '../../contract/types/data.js';
import { PreprocessError } from '../../contract/errors.js';
import { antiAliasSigmas, outputGrid, type Dims3, type Grid } from './output-grid.js';
import { gaussianFilter3d } from './gaussian-filter.js';
import { resampleTrilinear } from './resample.js';
import { applyIntensity, intensityStats, type IntensityMode, type IntensityStats } from './intensity.js';
import { cropToBox, foregroundBox, type Box } from './foreground-box.js';

/** Largest resampled grid accepted (voxels): 512^3 float32 is 512 MiB. */
export const MAX_GRID_VOXELS = 512 ** 3;

export interface PreprocessedVolume {
  /** Normalised values of the foreground box, x fastest. */
  values: Float32Array;
  dims: Dims3;
  /** Voxel to RAS+ mm of the box (diagonal: canonical orientation). */
  affine: Affine;
  grid: Grid;
  box: Box;
  stats: IntensityStats;
  /** Anti-aliasing sigmas used, in source voxels. */
  sigmas: Dims3;
}

/**
 * `real` holds the source's real values (x fastest) and is filtered in place when anti-aliasing applies
 * (pass a copy to keep it). `name` names the series in errors.
 */
export function preprocessVolume(real: Float32Array, dims: Dims3, affine: Affine, mode: IntensityMode, s: PreprocessSettings, name = 'volume'): PreprocessedVolume {
  const grid = outputGrid(dims, affine, s.spacing);
  const n = grid.dims[0] * grid.dims[1] * grid.dims[2];
  if (!(n > 0) || n > MAX_GRID_VOXELS) {
    throw new PreprocessError(`${name}: resampling to ${s.spacing.join(' x ')} mm makes a ${grid.dims.join(' x ')} grid (limit ${MAX_GRID_VOXELS} voxels): choose a coarser spacing`);
  }
  const sigmas: Dims3 = s.antiAlias ? antiAliasSigmas(affine, s.spacing) : [0, 0, 0];
  if (sigmas.some((v) => v > 0)) gaussianFilter3d(real, dims, sigmas);
  const resampled = resampleTrilinear(real, dims, affine, grid, NaN);
  const stats = intensityStats(resampled, mode, s.ctWindow, s.percentiles);
  const t = stats.threshold;
  const box = foregroundBox(resampled, grid.dims, (v) => v > t);
  applyIntensity(resampled, stats);
  const values = cropToBox(resampled, grid.dims, box);
  const a = grid.affine.map((r) => [...r]) as Affine;
  for (let r = 0; r < 3; r++) a[r][3] += a[r][r] * box.start[r];
  return { values, dims: [...box.size] as Dims3, affine: a, grid, box, stats, sigmas };
}

/** 'ct' for CT series under 'auto', else the settings' choice. */
export function intensityModeFor(modality: string, s: PreprocessSettings): IntensityMode {
  if (s.intensity !== 'auto') return s.intensity;
  return modality.toUpperCase() === 'CT' ? 'ct' : 'percentile';
}
