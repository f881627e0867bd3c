// eval:run: retrieval metrics of a model's embeddings against a label, always beside the same figures for a
// randomly initialised encoder of the same architecture whose BatchNorm statistics were re-estimated on the same
// data (DESIGN §6: without that the comparison flatters training). The baseline: native-models'
// randomEncoderParams(resnet, seed), its BN running statistics re-estimated (reestimateBnStatistics, as
// torch.optim.swa_utils.update_bn) on the evaluated series' tiles at the model's box and preprocessing, then
// embedded like any model (an embed job; incremental, so a repeated evaluation reuses it). Results are kept
// per model in <dataDir>/evaluations/model-<id>.json (whole or absent), latest per label.
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import type { ServiceContext } from '../context.js';
import type { EvalResult, RetrievalFigures } from '../../contract/types/labels.js';
import type { EmbeddingModel } from '../../contract/types/embed.js';
import { EmbedError, LabelError } from '../../contract/errors.js';
import { architectureName, extractTile, getModel, loadEmbeddings, modelArchitecture, startEmbedJob, tileGrid, type EncoderSource } from '../embed/index.js';
import { labelsOf } from '../labels/index.js';
import { ensurePreprocessed, readCacheFile } from '../preprocess/index.js';
import { randomEncoderParams, reestimateBnStatistics, type TensorData } from '../../../native-models/index.js';
import { writeFileWhole } from '../../platform/write-whole.js';
import { retrievalMetrics } from './metrics.js';

const figures = (dims: number, vectors: Float32Array, labels: (string | null)[]): RetrievalFigures => retrievalMetrics(dims, vectors, labels);

/** Batches of [n, 1, d, h, w] tiles of the series' preprocessed volumes (what the encoder sees when embedding). */
async function* tileBatches(files: string[], box: [number, number, number], batch: number): AsyncGenerator<TensorData> {
  const voxels = box[0] * box[1] * box[2];
  let buf: Float32Array[] = [];
  const flush = (): TensorData => {
    const data = new Float32Array(buf.length * voxels);
    buf.forEach((t, i) => data.set(t, i * voxels));
    const out: TensorData = { dtype: 'float32', dims: [buf.length, 1, ...box], data };
    buf = [];
    return out;
  };
  for (const f of files) {
    const { data, header } = readCacheFile(f);
    let lo = Infinity;
    for (let i = 0; i < data.length; i++) if (data[i] < lo) lo = data[i];
    const pad = header.offset + header.scale * (lo === Infinity ? 0 : lo);
    for (const s of tileGrid(header.dims, box).starts) {
      const t = new Float32Array(voxels);
      extractTile(data, header.dims, header.scale, header.offset, s, box, pad, t);
      buf.push(t);
      if (buf.length === batch) yield flush();
    }
  }
  // BN statistics need at least 2 values per channel: a last batch of one tile is merged into nothing.
  if (buf.length > 1) yield flush();
}

async function baselineModel(ctx: ServiceContext, model: EmbeddingModel, seriesIds: number[], seed: number): Promise<{ model: EmbeddingModel; bn: 're-estimated' | 'init' }> {
  const arch = modelArchitecture(ctx.db, model.id);
  const pre = await ensurePreprocessed(ctx, seriesIds, { settings: arch.settings });
  const init = randomEncoderParams(arch.resnet, seed);
  const threads = Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  const params = await reestimateBnStatistics(arch.resnet, init, tileBatches(pre.entries.map((e) => e.file), arch.box, 8), { intraOpNumThreads: threads });
  const source: EncoderSource = {
    name: `random ${architectureName(arch.resnet)} seed ${seed}, BN statistics re-estimated on the series of model ${model.id}`,
    source: 'random',
    runId: null,
    step: null,
    seed,
    resnet: arch.resnet,
    params,
    box: arch.box,
    settings: arch.settings,
    bn: 're-estimated',
  };
  const { job, model: base } = startEmbedJob(ctx, source, pre.entries.map((e) => e.seriesId));
  const snap = await ctx.jobs.wait(job);
  if (snap.state !== 'done') throw new EmbedError(`the baseline embedding ${snap.state}: ${snap.error?.message ?? ''}`);
  return { model: getModel(ctx.db, base.id), bn: 're-estimated' };
}

function resultsFile(dataDir: string, modelId: number): string {
  return path.join(dataDir, 'evaluations', `model-${modelId}.json`);
}

export function evalResults(dataDir: string, modelId?: number): EvalResult[] {
  const dir = path.join(dataDir, 'evaluations');
  let files: string[];
  try {
    files = fs.readdirSync(dir).filter((f) => /^model-\d+\.json$/.test(f) && (modelId === undefined || f === `model-${modelId}.json`));
  } catch {
    return [];
  }
  const out: EvalResult[] = [];
  for (const f of files) {
    try {
      out.push(...(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as EvalResult[]));
    } catch {
      /* an unreadable results file is skipped (it is rewritten by the next evaluation) */
    }
  }
  return out.sort((a, b) => b.at.localeCompare(a.at));
}

export async function runEval(ctx: ServiceContext, args: { model: number; label: string; baseline: boolean; seed: number }): Promise<EvalResult> {
  const model = getModel(ctx.db, args.model);
  const labels = labelsOf(ctx.db, args.label);
  if (!labels.size) throw new LabelError(`no series has the label "${args.label}" (voxelbase labels import FILE.csv, or labels from-dicom ATTRIBUTE)`);
  const set = loadEmbeddings(ctx.db, model.id, [...labels.keys()]);
  const missing = labels.size - set.seriesIds.length;
  if (set.seriesIds.length < 2) throw new LabelError(`model ${model.id} has embeddings for ${set.seriesIds.length} of the ${labels.size} series labelled "${args.label}": embed them first`);
  const labelList = Array.from(set.seriesIds, (id) => labels.get(id) ?? null);
  const result: EvalResult = {
    model,
    label: args.label,
    figures: figures(model.dims, set.vectors, labelList),
    baseline: null,
    missing,
    at: new Date().toISOString(),
  };
  if (args.baseline) {
    const base = await baselineModel(ctx, model, Array.from(set.seriesIds), args.seed);
    const bset = loadEmbeddings(ctx.db, base.model.id, Array.from(set.seriesIds));
    result.baseline = {
      model: base.model,
      figures: figures(base.model.dims, bset.vectors, Array.from(bset.seriesIds, (id) => labels.get(id) ?? null)),
      bnStatistics: base.bn,
      note: `randomly initialised ${base.model.architecture} (seed ${args.seed}), BatchNorm statistics re-estimated on the ${bset.seriesIds.length} evaluated series`,
    };
  }
  const file = resultsFile(ctx.dataDir, model.id);
  const kept = evalResults(ctx.dataDir, model.id).filter((r) => r.label !== args.label);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileWhole(file, Buffer.from(JSON.stringify([result, ...kept], null, 2)));
  return result;
}
