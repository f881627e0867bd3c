// series:* calls, each one line over the domain's modules: list and ids (list-series.ts), groups
// (group-series.ts), one series and the facets (queries.ts), thumbnails (the import's PNG cache, rebuilt
// when missing), slices and voxels (slice.ts).
import fs from 'node:fs';
import type { DomainHandlers } from '../handlers.js';
import type { ServiceContext } from '../context.js';
import { thumbnailPath, writeThumbnails } from '../import/index.js';
import { listPatients, listStudies } from './group-series.js';
import { listSeries, seriesIds } from './list-series.js';
import { getSeries, seriesFacets, seriesRowById, seriesSource } from './queries.js';
import { seriesSlice, seriesVoxel } from './slice.js';
import { cachedVolume } from './volume-cache.js';

type SeriesCall =
  | 'series:list'
  | 'series:get'
  | 'series:thumbnail'
  | 'series:slice'
  | 'series:facets'
  | 'series:ids'
  | 'series:patients'
  | 'series:studies'
  | 'series:voxel';

export function seriesHandlers(ctx: ServiceContext): DomainHandlers<SeriesCall> {
  const { db } = ctx;
  return {
    'series:list': (args) => listSeries(db, args),
    'series:get': ({ id }) => getSeries(db, id),
    'series:facets': () => seriesFacets(db),
    'series:ids': ({ filter }) => seriesIds(db, filter),
    'series:patients': (args) => listPatients(db, args),
    'series:studies': ({ filter, patient }) => listStudies(db, filter, patient),
    'series:thumbnail': async ({ id, axis }) => {
      const r = seriesRowById(db, id);
      const file = thumbnailPath(ctx.dataDir, id, axis);
      let png: Buffer;
      try {
        png = fs.readFileSync(file);
      } catch {
        // Not made yet (thumbnails off at import) or deleted: build all three now.
        const vol = await cachedVolume(id, r.updated_at, seriesSource(r), 0);
        writeThumbnails(ctx.dataDir, id, vol);
        png = fs.readFileSync(file);
      }
      // PNG IHDR: width and height are big-endian at bytes 16 and 20.
      return {
        axis,
        width: png.readUInt32BE(16),
        height: png.readUInt32BE(20),
        dataUrl: `data:image/png;base64,${png.toString('base64')}`,
      };
    },
    'series:slice': ({ id, axis, index, volume }) => seriesSlice(db, id, axis, index, volume),
    'series:voxel': ({ id, voxel, volume }) => seriesVoxel(db, id, voxel, volume),
  };
}
