// The import domain's public module: what other domains, the CLI and the composition root use. Everything else in
// this folder is private to import.
export { importHandlers, startImport, recoverIfNeeded, seriesNotImported, notImportedFromRow, importPool } from './handlers.js';
export { validateImportPaths, type ValidatedRoot } from './validate-paths.js';
export { thumbnailPath, writeThumbnails } from './thumbnail-cache.js';
export { loadSeriesVolume, pickVolume, sourceVolumeCount, type SeriesSource } from './series-source.js';
export { exportedBy } from './export-series.js';
export { importedRoots } from './runs.js';
