// The series domain's public module: what the composition root, the CLI and other domains (cohorts, preprocess,
// search ...) use.
export { seriesHandlers } from './handlers.js';
export { listSeries, seriesIds, seriesRowsByIds, filterSql, type SeriesFilter, type SeriesListArgs } from './list-series.js';
export { listPatients, listStudies } from './group-series.js';
export { getSeries, seriesRowById, seriesSource, seriesFacets } from './queries.js';
export { seriesSlice, seriesVoxel, volumePercentiles } from './slice.js';
export { cachedVolume, clearVolumeCache } from './volume-cache.js';
export { exportSeriesVolume, type ExportResult } from './export-volume.js';
