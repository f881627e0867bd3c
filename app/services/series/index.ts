// The series domain's public module: what other domains (cohorts ...) use. Everything else in this folder is private.
//   seriesHandlers(ctx)                   the series:* calls
//   listSeries(db, args)                  series:list (filter, sort, page)
//   matchingSeriesIds(db, filter)         ids of every series matching a series filter, ascending
//   getSeries(db, id)                     series:get
export { seriesHandlers, getSeries } from './handlers.js';
export { listSeries, matchingSeriesIds, type SeriesFilter, type SeriesListArgs } from './list-series.js';
