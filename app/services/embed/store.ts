// The catalogue side of embeddings: models (embedding_models), one float32 vector per (model, series)
// (embeddings; a re-embedded series gets a new row id, which is the search index's key), read back as a matrix.
import type { Db } from '../catalogue/database.js';
import type { EmbeddingModel } from '../../contract/types/embed.js';
import type { PreprocessSettings } from '../../contract/types/data.js';
import { NotFoundError, NotSupportedError } from '../../contract/errors.js';
import { architectureName, embeddingDims, modelKey, runEncoderSource, type EncoderSource } from './encoder-source.js';
import { settingsKey } from '../preprocess/index.js';
import { randomEncoderParams, type ResNetConfig } from '../../../native-models/index.js';

interface ModelRow {
  id: number;
  key: string;
  name: string;
  source: 'run' | 'random';
  run_id: number | null;
  step: number | null;
  seed: number | null;
  resnet: string;
  box: string;
  settings: string;
  settings_key: string;
  dims: number;
  bn: EmbeddingModel['bn'];
  created_at: string;
  n: number;
}

const MODEL_SELECT = `SELECT m.*, (SELECT count(*) FROM embeddings e WHERE e.model_id = m.id) AS n FROM embedding_models m`;

function modelFromRow(r: ModelRow): EmbeddingModel {
  return {
    id: r.id,
    key: r.key,
    name: r.name,
    source: r.source,
    runId: r.run_id,
    step: r.step,
    seed: r.seed,
    architecture: architectureName(JSON.parse(r.resnet) as ResNetConfig),
    box: JSON.parse(r.box) as [number, number, number],
    settings: JSON.parse(r.settings) as PreprocessSettings,
    settingsKey: r.settings_key,
    dims: r.dims,
    bn: r.bn,
    createdAt: r.created_at,
    embeddings: r.n,
  };
}

/** The model row of an encoder source (created on first use; found by its key afterwards). */
export function upsertModel(db: Db, s: EncoderSource): EmbeddingModel {
  const key = modelKey(s);
  db.prepare(
    `INSERT INTO embedding_models (key, name, source, run_id, step, seed, resnet, box, settings, settings_key, dims, bn, created_at)
     VALUES (@key, @name, @source, @runId, @step, @seed, @resnet, @box, @settings, @settingsKey, @dims, @bn, @now)
     ON CONFLICT(key) DO NOTHING`,
  ).run({
    key,
    name: s.name,
    source: s.source,
    runId: s.runId,
    step: s.step,
    seed: s.seed,
    resnet: JSON.stringify(s.resnet),
    box: JSON.stringify(s.box),
    settings: JSON.stringify(s.settings),
    settingsKey: settingsKey(s.settings),
    dims: embeddingDims(s),
    bn: s.bn,
    now: new Date().toISOString(),
  });
  return modelFromRow(db.prepare(`${MODEL_SELECT} WHERE m.key = ?`).get(key) as ModelRow);
}

export function getModel(db: Db, id: number): EmbeddingModel {
  const r = db.prepare(`${MODEL_SELECT} WHERE m.id = ?`).get(id) as ModelRow | undefined;
  if (!r) throw new NotFoundError(`no embedding model with id ${id}`);
  return modelFromRow(r);
}

/** Models with embeddings (or of one run), newest first. */
export function listModels(db: Db, run?: number): EmbeddingModel[] {
  const rows = (run === undefined
    ? db.prepare(`${MODEL_SELECT} ORDER BY m.id DESC`).all()
    : db.prepare(`${MODEL_SELECT} WHERE m.run_id = ? ORDER BY m.id DESC`).all(run)) as ModelRow[];
  return rows.map(modelFromRow);
}

/** series id -> fingerprint of its current embedding with this model. */
export function embeddedFingerprints(db: Db, modelId: number): Map<number, string> {
  const rows = db.prepare('SELECT series_id, fingerprint FROM embeddings WHERE model_id = ?').all(modelId) as { series_id: number; fingerprint: string }[];
  return new Map(rows.map((r) => [r.series_id, r.fingerprint]));
}

/** Stores (or replaces, under a new row id) one series' vector. */
export function saveEmbedding(db: Db, modelId: number, seriesId: number, vector: Float32Array, fingerprint: string, tiles: number): number {
  const blob = Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
  const tx = db.transaction(() => {
    db.prepare('DELETE FROM embeddings WHERE model_id = ? AND series_id = ?').run(modelId, seriesId);
    return db
      .prepare('INSERT INTO embeddings (model_id, series_id, vector, fingerprint, tiles, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(modelId, seriesId, blob, fingerprint, tiles, new Date().toISOString()).lastInsertRowid;
  });
  return Number(tx());
}

export interface EmbeddingSet {
  model: EmbeddingModel;
  /** Embedding row ids (search keys), series ids, in series id order. */
  ids: Float64Array;
  seriesIds: Int32Array;
  /** count x dims, as stored (not normalised). */
  vectors: Float32Array;
}

/** All vectors of a model (or of these series), ordered by series id. */
export function loadEmbeddings(db: Db, modelId: number, seriesIds?: readonly number[]): EmbeddingSet {
  const model = getModel(db, modelId);
  const rows = (seriesIds
    ? db
        .prepare('SELECT id, series_id, vector FROM embeddings WHERE model_id = ? AND series_id IN (SELECT value FROM json_each(?)) ORDER BY series_id')
        .all(modelId, JSON.stringify(seriesIds))
    : db.prepare('SELECT id, series_id, vector FROM embeddings WHERE model_id = ? ORDER BY series_id').all(modelId)) as {
    id: number;
    series_id: number;
    vector: Buffer;
  }[];
  const d = model.dims;
  const vectors = new Float32Array(rows.length * d);
  rows.forEach((r, i) => {
    if (r.vector.byteLength !== d * 4) throw new NotFoundError(`embedding of series ${r.series_id} has ${r.vector.byteLength / 4} values; model ${modelId} makes ${d}`);
    vectors.set(new Float32Array(r.vector.buffer.slice(r.vector.byteOffset, r.vector.byteOffset + r.vector.byteLength)), i * d);
  });
  return {
    model,
    ids: Float64Array.from(rows, (r) => r.id),
    seriesIds: Int32Array.from(rows, (r) => r.series_id),
    vectors,
  };
}

/** The encoder a model was made with, rebuilt from its row (random: same architecture and seed; run: its checkpoint). */
export async function modelEncoderSource(db: Db, dataDir: string, id: number): Promise<EncoderSource> {
  const r = db.prepare('SELECT * FROM embedding_models WHERE id = ?').get(id) as ModelRow | undefined;
  if (!r) throw new NotFoundError(`no embedding model with id ${id}`);
  let source: EncoderSource;
  if (r.source === 'run' && r.run_id !== null) source = await runEncoderSource(db, dataDir, r.run_id, r.step ?? undefined);
  else if (r.seed !== null && r.bn === 'init') {
    const resnet = JSON.parse(r.resnet) as ResNetConfig;
    source = {
      name: r.name,
      source: 'random',
      runId: null,
      step: null,
      seed: r.seed,
      resnet,
      params: randomEncoderParams(resnet, r.seed),
      box: JSON.parse(r.box) as [number, number, number],
      settings: JSON.parse(r.settings) as PreprocessSettings,
      bn: r.bn,
    };
  } else throw new NotSupportedError(`model ${id} (${r.name}) cannot embed new files: its encoder depends on the data it was re-estimated on`);
  if (modelKey(source) !== r.key) throw new NotFoundError(`model ${id}: its encoder cannot be rebuilt identically (the run's checkpoint changed?)`);
  return source;
}

/** The architecture, input box and preprocessing settings a model was made with. */
export function modelArchitecture(db: Db, id: number): { resnet: ResNetConfig; box: [number, number, number]; settings: PreprocessSettings } {
  const r = db.prepare('SELECT resnet, box, settings FROM embedding_models WHERE id = ?').get(id) as Pick<ModelRow, 'resnet' | 'box' | 'settings'> | undefined;
  if (!r) throw new NotFoundError(`no embedding model with id ${id}`);
  return { resnet: JSON.parse(r.resnet) as ResNetConfig, box: JSON.parse(r.box) as [number, number, number], settings: JSON.parse(r.settings) as PreprocessSettings };
}
