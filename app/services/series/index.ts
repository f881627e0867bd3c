// The series domain's public module: what the composition root, the CLI and other domains use.
export { seriesHandlers, getSeries, seriesRowById, seriesSource } from './handlers.js';
export { listSeries, filterSql, type SeriesFilter, type SeriesListArgs } from './list-series.js';
export { exportSeriesVolume, type ExportResult } from './export-volume.js';
