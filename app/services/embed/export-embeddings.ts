// `voxelbase embeddings export`: a model's vectors as embeddings.npy (float32, N x D, NumPy format 1.0:
// magic, version, little-endian header length, a Python dict literal padded to 64 bytes, then the raw rows,
// https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html) and series.csv (row, series id,
// series UID, source path; RFC 4180 quoting). Both written whole or absent (temp file, fsync, rename).
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../catalogue/database.js';
import { writeFileWhole as writeWhole } from '../../platform/write-whole.js';
import { loadEmbeddings } from './store.js';

export function npyBytes(rows: number, cols: number, data: Float32Array): Buffer {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const pre = Buffer.alloc(10);
  pre.write('\x93NUMPY', 0, 'latin1');
  pre[6] = 1;
  pre[7] = 0;
  pre.writeUInt16LE(header.length, 8);
  const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.concat([pre, Buffer.from(header, 'latin1'), body]);
}

const csvCell = (v: string | number) => {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export interface EmbeddingsExport {
  model: number;
  rows: number;
  dims: number;
  npy: string;
  csv: string;
}

/** Source path of a series: its NIfTI file, or the folder of its first DICOM file. */
function sourcePaths(db: Db, seriesIds: Int32Array): Map<number, string> {
  const rows = db
    .prepare(
      `SELECT series_id, min(path) AS path, count(*) AS n FROM files WHERE series_id IN (SELECT value FROM json_each(?)) GROUP BY series_id`,
    )
    .all(JSON.stringify(Array.from(seriesIds))) as { series_id: number; path: string; n: number }[];
  return new Map(rows.map((r) => [r.series_id, r.n > 1 ? path.dirname(r.path) : r.path]));
}

export function exportEmbeddings(db: Db, modelId: number, outDir: string): EmbeddingsExport {
  const set = loadEmbeddings(db, modelId);
  const n = set.seriesIds.length;
  const uids = new Map(
    (db.prepare('SELECT id, series_instance_uid AS uid, volume_key AS vk FROM series WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(Array.from(set.seriesIds))) as {
      id: number;
      uid: string;
      vk: string;
    }[]).map((r) => [r.id, r.vk ? `${r.uid}#${r.vk}` : r.uid]),
  );
  const paths = sourcePaths(db, set.seriesIds);
  fs.mkdirSync(outDir, { recursive: true });
  const npy = path.join(outDir, 'embeddings.npy');
  const csv = path.join(outDir, 'series.csv');
  writeWhole(npy, npyBytes(n, set.model.dims, set.vectors));
  const lines = ['row,series_id,series_uid,source_path'];
  set.seriesIds.forEach((id, i) => lines.push([i, id, uids.get(id) ?? '', paths.get(id) ?? ''].map(csvCell).join(',')));
  writeWhole(csv, Buffer.from(`${lines.join('\n')}\n`));
  return { model: modelId, rows: n, dims: set.model.dims, npy, csv };
}
