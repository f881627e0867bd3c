// series:* calls: list (filter/sort/page), get (files, not-stacked reasons, files not imported), thumbnail (PNG cache,
// rebuilt when missing), slice (real values for the slice viewer), facets (filter dropdowns).
import fs from 'node:fs';
import type { DomainHandlers } from '../handlers.js';
import type { ServiceContext } from '../context.js';
import type { Db } from '../catalogue/database.js';
import type { FacetCount, SeriesDetail, SeriesFile, SeriesSlice } from '../../contract/types.js';
import { NotFoundError, ValidationError } from '../../contract/errors.js';
import { extractSlice } from '../imaging/index.js';
import { listSeries } from './list-series.js';
import { SERIES_SELECT, seriesFromRow, type SeriesDbRow } from './series-row.js';
import { seriesNotImported, sourceVolumeCount, thumbnailPath, writeThumbnails, type SeriesSource } from '../import/index.js';
import { cachedVolume } from './volume-cache.js';

export function seriesRowById(db: Db, id: number): SeriesDbRow {
  const r = db.prepare(`${SERIES_SELECT} WHERE s.id = ?`).get(id) as SeriesDbRow | undefined;
  if (!r) throw new NotFoundError(`no series with id ${id}`);
  return r;
}

export function seriesSource(r: SeriesDbRow): SeriesSource {
  if (!r.plan) throw new NotFoundError(`series ${r.id} (${r.series_instance_uid}) has no volume plan yet (still importing?)`);
  return JSON.parse(r.plan) as SeriesSource;
}

export function getSeries(db: Db, id: number): SeriesDetail {
  const r = seriesRowById(db, id);
  const base = seriesFromRow(r);
  const fileRows = db
    .prepare(
      `SELECT path, size, mtime_ms, sop_instance_uid, instance_number, missing_at FROM files WHERE series_id = ?
       ORDER BY instance_number, path LIMIT 5000`,
    )
    .all(id) as {
    path: string;
    size: number;
    mtime_ms: number;
    sop_instance_uid: string | null;
    instance_number: number | null;
    missing_at: string | null;
  }[];
  // Volume order (and frame numbers) come from the plan when there is one.
  let files: SeriesFile[] = fileRows.map((f) => ({
    path: f.path,
    size: f.size,
    mtimeMs: f.mtime_ms,
    sopInstanceUid: f.sop_instance_uid ?? '',
    instanceNumber: f.instance_number,
    frame: 0,
    missing: f.missing_at !== null,
  }));
  if (r.plan) {
    const src = JSON.parse(r.plan) as SeriesSource;
    if (src.kind === 'dicom') {
      const byPath = new Map(files.map((f) => [f.path, f]));
      const ordered: SeriesFile[] = [];
      for (const s of src.plan.slices.slice(0, 5000)) {
        const f = byPath.get(s.path);
        if (f) ordered.push({ ...f, frame: s.frame, sopInstanceUid: s.sopInstanceUid || f.sopInstanceUid });
      }
      const inPlan = new Set(src.plan.slices.map((s) => s.path));
      files = [...ordered, ...files.filter((f) => !inPlan.has(f.path))];
    }
  }
  return {
    ...base,
    affine: r.affine ? (JSON.parse(r.affine) as number[][]) : [],
    window:
      r.window_center !== null && r.window_width !== null && r.window_width > 0
        ? { center: r.window_center, width: r.window_width }
        : null,
    files,
    notStacked: JSON.parse(r.not_stacked) as string[],
    notImported: seriesNotImported({ db }, id),
  };
}

function facet(db: Db, column: string): FacetCount[] {
  return db
    .prepare(
      `SELECT ${column} AS value, count(*) AS count FROM series WHERE ${column} IS NOT NULL AND ${column} <> ''
       GROUP BY ${column} ORDER BY count DESC, value`,
    )
    .all() as FacetCount[];
}

function percentileWindow(data: Float32Array): { center: number; width: number } {
  const n = data.length;
  if (!n) return { center: 0, width: 1 };
  const step = Math.max(1, Math.floor(n / 65536));
  const sample: number[] = [];
  for (let i = 0; i < n; i += step) if (Number.isFinite(data[i])) sample.push(data[i]);
  sample.sort((a, b) => a - b);
  const lo = sample[Math.floor(0.01 * (sample.length - 1))] ?? 0;
  const hi = sample[Math.floor(0.99 * (sample.length - 1))] ?? 1;
  return { center: (lo + hi) / 2, width: Math.max(hi - lo, 1e-6) };
}

export function seriesHandlers(
  ctx: ServiceContext,
): DomainHandlers<'series:list' | 'series:get' | 'series:thumbnail' | 'series:slice' | 'series:facets'> {
  const { db } = ctx;
  return {
    'series:list': (args) => listSeries(db, args),
    'series:get': ({ id }) => getSeries(db, id),
    'series:facets': () => {
      const range = db
        .prepare(
          `SELECT min(d) AS min, max(d) AS max FROM (SELECT coalesce(nullif(s.series_date, ''), st.study_date) AS d
           FROM series s JOIN studies st ON st.id = s.study_id) WHERE d IS NOT NULL AND d <> ''`,
        )
        .get() as { min: string | null; max: string | null };
      return {
        modalities: facet(db, 'modality'),
        bodyParts: facet(db, 'body_part'),
        statuses: facet(db, 'status'),
        dateRange: { min: range.min ?? '', max: range.max ?? '' },
        total: (db.prepare('SELECT count(*) AS n FROM series').get() as { n: number }).n,
      };
    },
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
    'series:slice': async ({ id, axis, index, volume }) => {
      const r = seriesRowById(db, id);
      const src = seriesSource(r);
      const count = sourceVolumeCount(src);
      if (volume >= count) throw new ValidationError(`series ${id} has ${count} volume(s); volume ${volume} does not exist`);
      const vol = await cachedVolume(id, r.updated_at, src, volume);
      const probe = extractSlice(vol, axis, 0);
      const i = index ?? Math.floor(probe.count / 2);
      if (i >= probe.count) throw new ValidationError(`series ${id} has ${probe.count} ${axis} slices; index ${i} is out of range`);
      const img = i === 0 ? probe : extractSlice(vol, axis, i);
      let min = Infinity;
      let max = -Infinity;
      let integral = true;
      for (let k = 0; k < img.data.length; k++) {
        const v = img.data[k];
        if (v < min) min = v;
        if (v > max) max = v;
        if (integral && v !== Math.round(v)) integral = false;
      }
      if (!img.data.length) min = max = 0;
      const asInt16 = integral && min >= -32768 && max <= 32767;
      const raw = asInt16 ? Int16Array.from(img.data) : img.data;
      const window =
        r.window_center !== null && r.window_width !== null && r.window_width > 0
          ? { center: r.window_center, width: r.window_width }
          : percentileWindow(img.data);
      const out: SeriesSlice = {
        axis,
        index: i,
        count: img.count,
        volume,
        volumeCount: count,
        width: img.width,
        height: img.height,
        dtype: asInt16 ? 'int16' : 'float32',
        data: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64'),
        min,
        max,
        pixelSize: img.pixelSize,
        window,
      };
      return out;
    },
  };
}

