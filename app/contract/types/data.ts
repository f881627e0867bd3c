// Plain data types of the training-data pipeline (preprocessing cache, augmentations, preview), shared by
// the services, the CLI, the trainer and the renderer. No behaviour, no imports.

// ---- preprocessing -----------------------------------------------------------------------------

/**
 * How a series becomes a training volume (DESIGN §4, §5a). One cache entry exists per (series, settings).
 * Defaults: DEFAULT_PREPROCESS_SETTINGS in app/services/preprocess/settings.ts.
 */
export interface PreprocessSettings {
  /** Target voxel size in mm along the RAS axes [x, y, z] (default 2 mm isotropic). */
  spacing: [number, number, number];
  /** Gaussian pre-filter before downsampling, sigma from the zoom factor (default true). */
  antiAlias: boolean;
  /** 'auto': 'ct' for modality CT, 'percentile' for everything else. */
  intensity: 'auto' | 'ct' | 'percentile';
  /** CT window in HU, clipped then scaled to [0, 1] (default [-1000, 1000]). */
  ctWindow: [number, number];
  /** Foreground percentiles clipped to before the z-score of non-CT series (default [0.5, 99.5]). */
  percentiles: [number, number];
  /** Which volume of a 4-D series is used (0-based, default 0: the first, e.g. the b0 of a DWI series). */
  volume: number;
}

/** One preprocessed series in the cache: what the loader reads. Voxels: int16 q, value = offset + scale * q. */
export interface PreprocessedEntry {
  seriesId: number;
  /** Absolute path of the cache file. */
  file: string;
  /** Voxel counts [x, y, z] of the stored foreground box (x fastest). */
  dims: [number, number, number];
  /** Voxel size in mm (the settings' spacing). */
  spacing: [number, number, number];
  /** Stored voxel (i, j, k) to RAS+ mm (row-major 4x4; diagonal: canonical RAS orientation). */
  affine: number[][];
  scale: number;
  offset: number;
  /** Byte offset of the voxels in the file. */
  dataOffset: number;
  modality: string;
  intensity: 'ct' | 'percentile';
  /** Settings key (hash of the settings) the entry was made with. */
  settingsKey: string;
}

export type PreprocessStep = 'check' | 'preprocess';

export interface PreprocessProgressDetail {
  step: PreprocessStep;
  /** Series reused from the cache, computed now, failed, out of total. */
  reused: number;
  computed: number;
  failed: number;
  total: number;
  /** Source bytes read by the series computed so far. */
  bytesRead: number;
}

export interface PreprocessFailure {
  seriesId: number;
  /** Error name (SourceFilesMissingError, SeriesNotUsableError, PreprocessError ...). */
  name: string;
  message: string;
}

export interface PreprocessResult {
  settings: PreprocessSettings;
  settingsKey: string;
  /** Entries of the series that are ready, in the order asked. */
  entries: PreprocessedEntry[];
  reused: number;
  computed: number;
  failed: PreprocessFailure[];
  /** Source bytes read, and wall seconds of the whole run. */
  bytesRead: number;
  seconds: number;
}

// ---- augmentations -----------------------------------------------------------------------------

/** Random resized crop of the foreground box (view-independent ranges, per-view draws). */
export interface CropConfig {
  /** Fraction of the box's volume a crop covers, [min, max] (default [0.25, 1]). */
  scale: [number, number];
  /** Aspect ratio range of each side relative to the others, log-uniform (default [3/4, 4/3]). */
  aspect: [number, number];
  /** Least fraction of the smaller crop's volume that the two views' crops share (default 0.25). */
  minOverlap: number;
}

/** Per-view intensity and geometry augmentations; each has its own probability. */
export interface ViewAugment {
  /** x * s + t * std, s in scaleRange, t in shiftRange (default p 0.8). */
  scaleShift: { p: number; scale: [number, number]; shift: [number, number] };
  /** Gamma on the min-max normalised view (MONAI RandAdjustContrast; default p 0.3, gamma [0.7, 1.5]). */
  gamma: { p: number; range: [number, number] };
  /** Additive Gaussian noise, std uniform in [0, std] times the view's std (default p 0.1 / 0.5, std 0.1). */
  noise: { p: number; std: number };
  /** Gaussian blur with sigma uniform in range, in voxels of the input box (default p 1.0 / 0.1, [0.5, 1.5]). */
  blur: { p: number; sigma: [number, number] };
  /** Flip probability per axis [x, y, z] (default 0: off, DESIGN §5). */
  flip: [number, number, number];
  /** Probability of a random 90-degree rotation in a random plane (default 0: off). */
  rotate90: number;
}

export interface AugmentConfig {
  crop: CropConfig;
  view1: ViewAugment;
  view2: ViewAugment;
}

/** Deep-partial overrides of AugmentConfig, as calls and configs accept them. */
export type AugmentConfigInput = {
  crop?: Partial<CropConfig>;
  view1?: Partial<ViewAugment>;
  view2?: Partial<ViewAugment>;
};

/** A crop in stored voxels: start and size per axis [x, y, z]. */
export interface CropBox {
  start: [number, number, number];
  size: [number, number, number];
}

/** What one view's draw did (for the preview and for tests). */
export interface ViewDraw {
  crop: CropBox;
  scaleShift: { scale: number; shift: number } | null;
  gamma: number | null;
  noiseStd: number | null;
  blurSigma: number | null;
  flip: [boolean, boolean, boolean];
  /** Plane ('xy' | 'xz' | 'yz') and quarter turns, or null. */
  rotate90: { plane: 'xy' | 'xz' | 'yz'; turns: number } | null;
}

export interface AugmentPreviewView {
  /** PNG data URLs of the three orthogonal middle slices of the augmented input box. */
  axial: string;
  coronal: string;
  sagittal: string;
  draw: ViewDraw;
}

export interface AugmentPreview {
  seriesId: number;
  seed: number;
  /** Input box [d, h, w] the views were resampled to. */
  box: [number, number, number];
  /** Display window shared by both views (so their intensities compare). */
  window: { low: number; high: number };
  view1: AugmentPreviewView;
  view2: AugmentPreviewView;
  /** The preprocessed volume the views came from. */
  source: { dims: [number, number, number]; spacing: [number, number, number] };
}
