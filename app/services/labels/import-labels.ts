// Labels from a CSV file or a catalogued DICOM attribute.
// CSV: a header row; the identifying column is `series_uid` (SeriesInstanceUID, or `nifti:<path>` as the
// catalogue lists NIfTI series; a split series as UID#volume), `source_path` (a NIfTI file, or the folder of a
// DICOM series' files) or `series_id`, found by header name (case-insensitive); every other column is a label key
// (or only `column`). Empty values are skipped. Rows that match nothing are reported by line, never guessed.
// Attribute: the catalogued value of a DICOM attribute (Modality, BodyPartExamined, ...) for every series.
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../catalogue/database.js';
import type { LabelImportResult } from '../../contract/types/labels.js';
import type { ParsedArgs } from '../../contract/api.js';
import { LabelError } from '../../contract/errors.js';
import { parseCsv } from './csv.js';
import { writeLabels } from './store.js';

const ID_COLUMNS = ['series_uid', 'source_path', 'series_id'] as const;

function seriesMatchers(db: Db): { uid: Map<string, number>; path: Map<string, number>; id: Set<number> } {
  const uid = new Map<string, number>();
  const id = new Set<number>();
  for (const r of db.prepare('SELECT id, series_instance_uid AS u, volume_key AS v FROM series').all() as { id: number; u: string; v: string }[]) {
    uid.set(r.v ? `${r.u}#${r.v}` : r.u, r.id);
    if (!r.v) uid.set(r.u, r.id);
    id.add(r.id);
  }
  const byPath = new Map<string, number>();
  const folders = new Map<string, Set<number>>();
  for (const f of db.prepare('SELECT series_id AS s, path FROM files WHERE series_id IS NOT NULL').all() as { s: number; path: string }[]) {
    byPath.set(f.path, f.s);
    const dir = path.dirname(f.path);
    if (!folders.has(dir)) folders.set(dir, new Set());
    folders.get(dir)!.add(f.s);
  }
  // A folder names a series only when all its files belong to that one series.
  for (const [dir, ids] of folders) if (ids.size === 1) byPath.set(dir, [...ids][0]);
  return { uid, path: byPath, id };
}

export function importLabelsCsv(db: Db, args: ParsedArgs<'labels:import'>): LabelImportResult {
  const file = path.resolve(args.path);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new LabelError(`${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const rows = parseCsv(text, path.basename(file));
  if (rows.length < 2) throw new LabelError(`${file}: needs a header row and at least one data row`);
  const header = rows[0].fields.map((h) => h.trim());
  const lower = header.map((h) => h.toLowerCase());
  const idName = ID_COLUMNS.find((c) => lower.includes(c));
  if (!idName) throw new LabelError(`${file}: no identifying column; the header needs one of ${ID_COLUMNS.join(', ')} (it has ${header.join(', ')})`);
  const idCol = lower.indexOf(idName);
  let labelCols = header.map((_, i) => i).filter((i) => i !== idCol && !ID_COLUMNS.includes(lower[i] as (typeof ID_COLUMNS)[number]) && lower[i] !== 'row');
  if (args.column) {
    const i = header.indexOf(args.column);
    if (i < 0) throw new LabelError(`${file}: no column "${args.column}" (it has ${header.join(', ')})`);
    labelCols = [i];
  }
  if (!labelCols.length) throw new LabelError(`${file}: no label column beside ${header[idCol]}`);
  if (args.key && labelCols.length > 1) throw new LabelError(`${file}: --key needs one label column; choose it with --column`);
  const keys = labelCols.map((i) => args.key ?? header[i]);
  for (const k of keys) if (!/^[\w.\- ]{1,64}$/.test(k)) throw new LabelError(`${file}: "${k}" cannot be a label key (letters, digits, space, dot, dash, underscore; at most 64)`);
  const m = seriesMatchers(db);
  const values = keys.map(() => new Map<number, string>());
  const unmatched: LabelImportResult['unmatched'] = [];
  let matched = 0;
  for (const r of rows.slice(1)) {
    const ident = (r.fields[idCol] ?? '').trim();
    let id: number | undefined;
    if (idName === 'series_uid') id = m.uid.get(ident);
    else if (idName === 'source_path') id = m.path.get(path.resolve(ident)) ?? m.path.get(path.resolve(ident).replace(/\/+$/, ''));
    else id = /^\d+$/.test(ident) && m.id.has(Number(ident)) ? Number(ident) : undefined;
    if (id === undefined) {
      if (unmatched.length < 50) unmatched.push({ line: r.line, reason: `no catalogued series has ${idName} "${ident}"` });
      continue;
    }
    matched++;
    labelCols.forEach((c, j) => {
      const v = (r.fields[c] ?? '').trim();
      if (v) values[j].set(id, v);
    });
  }
  const source = `csv:${path.basename(file)}`;
  let written = 0;
  keys.forEach((k, j) => (written += writeLabels(db, k, source, values[j])));
  return { keys, rows: rows.length - 1, matched, written, unmatched, matchedBy: idName };
}

const ATTRIBUTE_SQL: Record<ParsedArgs<'labels:fromAttribute'>['attribute'], string> = {
  Modality: 's.modality',
  BodyPartExamined: 's.body_part',
  SeriesDescription: 's.description',
  ProtocolName: 's.protocol_name',
  Manufacturer: 's.manufacturer',
  ManufacturerModelName: 's.manufacturer_model',
  StudyDescription: 'st.description',
  PatientSex: 'p.sex',
};

export function labelsFromAttribute(db: Db, args: ParsedArgs<'labels:fromAttribute'>): LabelImportResult {
  const rows = db
    .prepare(
      `SELECT s.id AS id, ${ATTRIBUTE_SQL[args.attribute]} AS v FROM series s JOIN studies st ON st.id = s.study_id JOIN patients p ON p.id = st.patient_id`,
    )
    .all() as { id: number; v: string | null }[];
  const values = new Map<number, string>();
  for (const r of rows) if (r.v && r.v.trim()) values.set(r.id, r.v.trim());
  const key = args.key ?? args.attribute;
  const written = writeLabels(db, key, `dicom:${args.attribute}`, values);
  return { keys: [key], rows: rows.length, matched: values.size, written, unmatched: [], matchedBy: 'series_id' };
}
