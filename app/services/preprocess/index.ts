// Public module of the preprocessing domain (DESIGN §4, §5a): series -> canonical RAS, target spacing,
// modality-aware intensity, foreground box -> one int16 cache file per (series, settings).
//
//   ensurePreprocessed({dataDir, db}, seriesIds, {settings?, signal?, onProgress?, workers?})
//       -> Promise<PreprocessResult>: every series in the cache (reused when settings and source files are
//       unchanged and the file passes its CRC; recomputed otherwise), in worker threads. Series that cannot
//       be used are listed in `failed` with their reason; throws PreprocessError when the list is empty or
//       none could be preprocessed, CancelledError when the signal fires. `entries` go to createLoader.
//   DEFAULT_PREPROCESS_SETTINGS, resolveSettings(partial), settingsKey(settings)
//   gaussianFilter3d(data, dims, sigmas)  scipy.ndimage.gaussian_filter(mode='nearest') in place (also the
//       blur augmentation's filter)
//   readCacheFile(file) -> {header, data: Int16Array, dataOffset} (CRC checked), readCacheHeader(file)
//   learningVerdict(row) -> the error saying why a catalogued series cannot be learned from, or null (the one
//       rule: still importing, files missing at the last import, failed, 2-D, not usable; cohorts list it)
export { ensurePreprocessed, cacheFilePath, preprocessDir, type EnsureOptions } from './ensure-preprocessed.js';
export { DEFAULT_PREPROCESS_SETTINGS, resolveSettings, settingsKey, type PreprocessSettingsInput } from './settings.js';
export { readCacheFile, readCacheHeader, type CacheHeader } from './cache-file.js';
export type {
  PreprocessSettings,
  PreprocessedEntry,
  PreprocessResult,
  PreprocessFailure,
  PreprocessProgressDetail,
} from '../../contract/types/data.js';
export { gaussianFilter3d } from './gaussian-filter.js';
// The recipe on an in-memory volume (search embeds a dropped file this way without importing it).
export { preprocessVolume, intensityModeFor, type PreprocessedVolume } from './preprocess-volume.js';
export { learningVerdict, type VerdictRow } from './series-input.js';
