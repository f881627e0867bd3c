// What embeddings are made with: an encoder (architecture, tensors by MONAI key), its input box and the
// preprocessing settings its inputs need, and an identity (`key`) that changes when any of these changes, so
// embeddings of different models never mix. Random encoders come from native-models' randomEncoderParams; run
// encoders from the runs module's checkpoints (runs-interface: loadRunWeights).
import crypto from 'node:crypto';
import { featureDim, randomEncoderParams, resnetPreset, type ResNetConfig, type ResNetDepth, type TensorData } from '../../../native-models/index.js';
import { resolveSettings, settingsKey } from '../preprocess/index.js';
import type { PreprocessSettings } from '../../contract/types/data.js';
import type { Db } from '../catalogue/database.js';
import { getRun, loadRunWeights } from '../runs/index.js';
import { tuningDir } from '../pretrain/index.js';
import type { EmbedderOptions } from './volume-embedder.js';

export interface EncoderSource {
  name: string;
  source: 'run' | 'random';
  runId: number | null;
  step: number | null;
  seed: number | null;
  resnet: ResNetConfig;
  params: Record<string, TensorData>;
  box: [number, number, number];
  settings: PreprocessSettings;
  bn: 'trained' | 'init' | 're-estimated';
}

export const DEFAULT_EMBED_BOX: [number, number, number] = [64, 64, 64];

export function architectureName(cfg: ResNetConfig): string {
  const depth = cfg.block === 'bottleneck' ? 50 : { '1,1,1,1': 10, '2,2,2,2': 18, '3,4,6,3': 34 }[cfg.layers.join(',')];
  return `resnet${depth ?? `(${cfg.layers.join('-')})`} (widths ${cfg.widths.join('-')}, ${cfg.norm.kind} norm)`;
}

export function randomEncoderSource(o: {
  depth: ResNetDepth;
  seed: number;
  widths?: [number, number, number, number];
  box?: [number, number, number];
  spacing?: [number, number, number];
}): EncoderSource {
  const resnet = resnetPreset(o.depth, o.widths ? { widths: o.widths } : {});
  return {
    name: `random ${architectureName(resnet)} seed ${o.seed}`,
    source: 'random',
    runId: null,
    step: null,
    seed: o.seed,
    resnet,
    params: randomEncoderParams(resnet, o.seed),
    box: o.box ?? DEFAULT_EMBED_BOX,
    settings: resolveSettings(o.spacing ? { spacing: o.spacing } : {}),
    bn: 'init',
  };
}

/** sha256 over the architecture, the tensors (sorted keys, raw bytes), the box and the settings key. */
export function modelKey(s: EncoderSource): string {
  const h = crypto.createHash('sha256');
  h.update(JSON.stringify({ resnet: s.resnet, box: s.box, settings: settingsKey(s.settings), bn: s.bn }));
  for (const k of Object.keys(s.params).sort()) {
    const t = s.params[k];
    h.update(`${k}:${t.dtype}:${t.dims.join('x')};`);
    const d = t.data as ArrayBufferView;
    h.update(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
  }
  return h.digest('hex');
}

export const embeddingDims = (s: EncoderSource): number => featureDim(s.resnet);

/** The embed worker's embedder for a source: the data folder's tuned conv plan (pretrain tuningDir), the same for
 *  the embed job and file queries, so that a file and its catalogued copy are embedded by the same formulations. */
export function embedderOptions(s: EncoderSource, o: { threads?: number; dataDir: string }): EmbedderOptions {
  return { resnet: s.resnet, params: s.params, box: s.box, threads: o.threads, tuningDir: tuningDir(o.dataDir) };
}

/** A run's online encoder at its newest verified checkpoint (or `step`), with the run's box and preprocessing. */
export async function runEncoderSource(db: Db, dataDir: string, runId: number, step?: number): Promise<EncoderSource> {
  const run = getRun(db, runId);
  const w = await loadRunWeights(dataDir, run, { which: 'online', step });
  return {
    name: `run ${run.id} (${run.name}) step ${w.step}`,
    source: 'run',
    runId: run.id,
    step: w.step,
    seed: null,
    resnet: w.resnet,
    params: w.encoder,
    box: [...run.config.input] as [number, number, number],
    settings: run.config.preprocess,
    bn: 'trained',
  };
}
