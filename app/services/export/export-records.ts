// Where exports go and what is on disk: the data folder's exports/<id>/ (web mode: downloaded as a zip by id), a
// folder the user named (`out`), or a new folder in a parent the user chose (`into`, named after the run). Records
// are read from the folder itself: run and step from the id, formats from the file names, the rest from the card.
import fs from 'node:fs';
import path from 'node:path';
import type { ExportFormat, ExportKeyStyle, ExportRecord, ModelCard } from '../../contract/types.js';
import { NotFoundError } from '../../contract/errors.js';
import { FILES } from './model-card.js';
import { ExportError } from './errors.js';

const ID = /^run-(\d+)-step-(\d+)-(\d{8}T\d{6}Z)(-\d+)?$/;

export function exportsDir(dataDir: string): string {
  return path.join(dataDir, 'exports');
}

/** `20250101T120000Z` for a date. */
function stamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** A file-system-safe folder name from free text (a run name). */
export function slug(s: string): string {
  return s.normalize('NFKD').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, 60) || 'run';
}

/** A name not yet taken in `parent`: base, base-2, base-3 ... */
function freeName(parent: string, base: string): string {
  for (let i = 1; ; i++) {
    const name = i === 1 ? base : `${base}-${i}`;
    if (!fs.existsSync(path.join(parent, name)) && !fs.readdirSync(parent).some((n) => n.startsWith(`.${name}.partial-`))) return name;
  }
}

export interface ExportTarget {
  dir: string;
  /** Set for exports kept in the data folder. */
  id: string | null;
}

/** Resolves where an export of `run` at `step` goes; refuses a missing parent folder at once. */
export function exportTarget(dataDir: string, o: { run: number; runName: string; step: number; out?: string; into?: string; now?: Date }): ExportTarget {
  if (o.out) {
    const dir = path.resolve(o.out);
    const st = fs.statSync(dir, { throwIfNoEntry: false });
    if (st && !(st.isDirectory() && fs.readdirSync(dir).length === 0)) throw new ExportError(`cannot export into ${dir}: it already exists${st.isDirectory() ? ' and is not empty' : ' (a file)'}`);
    if (!fs.statSync(path.dirname(dir), { throwIfNoEntry: false })?.isDirectory()) throw new ExportError(`cannot export into ${dir}: its parent folder ${path.dirname(dir)} does not exist`);
    return { dir, id: null };
  }
  if (o.into) {
    const parent = path.resolve(o.into);
    if (!fs.statSync(parent, { throwIfNoEntry: false })?.isDirectory()) throw new ExportError(`cannot export into ${parent}: not a folder`);
    return { dir: path.join(parent, freeName(parent, `${slug(o.runName)}-step-${o.step}`)), id: null };
  }
  const root = exportsDir(dataDir);
  fs.mkdirSync(root, { recursive: true });
  const id = freeName(root, `run-${o.run}-step-${o.step}-${stamp(o.now ?? new Date())}`);
  return { dir: path.join(root, id), id };
}

const FORMAT_OF: Record<string, ExportFormat> = { [FILES.onnx]: 'onnx', [FILES.encoder]: 'safetensors', [FILES.cardJson]: 'card' };

/** What is in an export folder. `id` for data-folder exports; run and step from the card, else from the id. */
export function readExportRecord(dir: string, id: string | null): ExportRecord {
  const names = fs.readdirSync(dir).sort();
  const files = names.map((name) => ({ name, path: path.join(dir, name), bytes: fs.statSync(path.join(dir, name)).size }));
  let card: ModelCard | null = null;
  if (names.includes(FILES.cardJson)) {
    try {
      card = JSON.parse(fs.readFileSync(path.join(dir, FILES.cardJson), 'utf8')) as ModelCard;
    } catch {
      card = null;
    }
  }
  const keys: ExportKeyStyle | null = card?.keys ?? null;
  const m = id ? ID.exec(id) : null;
  return {
    id,
    name: path.basename(dir),
    dir,
    run: card?.run.id ?? (m ? Number(m[1]) : 0),
    step: card?.run.checkpoint.step ?? (m ? Number(m[2]) : 0),
    formats: (['onnx', 'safetensors', 'card'] as const).filter((f) => names.some((n) => FORMAT_OF[n] === f)),
    keys,
    files,
    card,
    createdAt: card?.createdAt ?? fs.statSync(dir).mtime.toISOString(),
  };
}

function dataFolderExport(dataDir: string, id: string): string {
  if (!ID.test(id)) throw new NotFoundError(`no export ${JSON.stringify(id)}`);
  const dir = path.join(exportsDir(dataDir), id);
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new NotFoundError(`no export ${id} in ${exportsDir(dataDir)}`);
  return dir;
}

export function getExport(dataDir: string, id: string): ExportRecord {
  return readExportRecord(dataFolderExport(dataDir, id), id);
}

export function listExports(dataDir: string): ExportRecord[] {
  const root = exportsDir(dataDir);
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root)
    .filter((n) => ID.test(n) && fs.statSync(path.join(root, n)).isDirectory())
    .map((n) => readExportRecord(path.join(root, n), n))
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}

export function deleteExport(dataDir: string, id: string): { deleted: string } {
  const dir = dataFolderExport(dataDir, id);
  fs.rmSync(dir, { recursive: true, force: true });
  return { deleted: id };
}
