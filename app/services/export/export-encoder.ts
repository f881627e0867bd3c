// One export, from an ExportSource to a folder that appears whole or not at all (staged-folder.ts):
//   encoder.safetensors  MONAI ResNet state dict (monai-state-dict.ts), strict-loadable; heads.safetensors beside it
//   encoder.onnx         BN-folded inference model with metadata props (onnx-encoder.ts), checked against the
//                        unfolded encoder in onnxruntime before anything is committed
//   model-card.json/.md  the model card (model-card.ts, model-card-markdown.ts)
// Steps report progress and stop at the next step boundary when the signal aborts (the partial folder is removed).
import { encodeSafetensors, type ResNetConfig } from '../../../native-models/index.js';
import { CancelledError } from '../../contract/errors.js';
import type { ExportFormat, ExportStep } from '../../contract/types.js';
import { ExportError } from './errors.js';

export type { ExportFormat, ExportStep };
import type { ExportSource } from './export-source.js';
import { buildModelCard, type ExportedFile, FILES, type ModelCard } from './model-card.js';
import { renderModelCardMarkdown } from './model-card-markdown.js';
import { type KeyStyle, monaiConstructor, monaiIncompatibility, monaiStateDict, type StateDict } from './monai-state-dict.js';
import { encoderOnnx, type OnnxVerification, verifyEncoderOnnx } from './onnx-encoder.js';
import { StagedFolder } from './staged-folder.js';

export const EXPORT_FORMATS: readonly ExportFormat[] = ['onnx', 'safetensors', 'card'];


export interface ExportOptions {
  formats: readonly ExportFormat[];
  keys: KeyStyle;
  /** The licence field of the card (default: unspecified). */
  licence?: string;
  /** Voxelbase's version for the card and the metadata. */
  version: string;
  /** Check the ONNX model against the unfolded encoder (default true). */
  verify?: boolean;
  /** onnxruntime threads for the check (default 2). */
  threads?: number;
  now?: () => Date;
}

export interface ExportHooks {
  progress?: (step: ExportStep, done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface ExportOutcome {
  dir: string;
  /** Every file written, the card's own files last. */
  files: ExportedFile[];
  card: ModelCard;
}

export const DEFAULT_LICENCE = 'unspecified: the lab that trained this model decides its terms (the terms of the training data may restrict its use)';

/** Trainable encoder parameters (running statistics and counters excluded). */
function parameterCount(encoder: StateDict): number {
  let n = 0;
  for (const [k, t] of Object.entries(encoder)) if (!/\.(running_mean|running_var|num_batches_tracked)$/.test(k)) n += t.data.length;
  return n;
}

/** The ONNX metadata props: what input the model expects and where it came from. */
export function onnxMetadata(src: ExportSource, version: string): Record<string, string> {
  const i = src.input;
  return {
    'voxelbase.version': version,
    'voxelbase.run': String(src.run.id),
    'voxelbase.run_name': src.run.name,
    'voxelbase.step': String(src.checkpoint.step),
    'input.name': 'image',
    'input.layout': 'N, C, D, H, W',
    'input.channels': String(src.resnet.inChannels),
    'input.box': JSON.stringify(i.box),
    'input.spacing_mm': JSON.stringify(i.spacingMm),
    'input.orientation': i.orientation,
    'input.axes': i.axes,
    'input.intensity': JSON.stringify(i.intensity),
    'output.name': 'embedding',
    architecture: JSON.stringify({ block: src.resnet.block, layers: src.resnet.layers, widths: src.resnet.widths, conv1: [src.resnet.conv1Kernel, src.resnet.conv1Stride], shortcut: src.resnet.shortcut, norm: src.resnet.norm.kind }),
  };
}

function headsStateDict(src: ExportSource): StateDict {
  const out: StateDict = {};
  for (const [part, dict] of Object.entries(src.heads ?? {})) {
    for (const [k, t] of Object.entries(dict)) {
      out[`${part}.${k}`] = k.endsWith('num_batches_tracked')
        ? { dtype: 'int64', dims: [], data: BigInt64Array.from([typeof t.data[0] === 'bigint' ? t.data[0] : BigInt(Math.round(Number(t.data[0])))]) }
        : t.dtype === 'float32' ? t : { dtype: 'float32', dims: [...t.dims], data: Float32Array.from(t.data as Float64Array) };
    }
  }
  return out;
}

/** Checks that `formats` can be made for `cfg` before any work starts. */
export function checkFormats(cfg: ResNetConfig, formats: readonly ExportFormat[], what: string): void {
  if (formats.length === 0) throw new ExportError(`nothing to export for ${what}: choose at least one of ${EXPORT_FORMATS.join(', ')}`);
  const why = monaiIncompatibility(cfg);
  if (why && formats.includes('safetensors')) throw new ExportError(`cannot export ${what} as MONAI safetensors: ${why}`);
}

export async function writeEncoderExport(src: ExportSource, out: string, opts: ExportOptions, hooks: ExportHooks = {}): Promise<ExportOutcome> {
  const what = `run ${src.run.id} (${src.run.name}) at step ${src.checkpoint.step}`;
  const formats = EXPORT_FORMATS.filter((f) => opts.formats.includes(f));
  checkFormats(src.resnet, formats, what);
  const steps: ExportStep[] = ['check', ...(formats.includes('safetensors') ? ['safetensors' as const] : []), ...(formats.includes('onnx') ? ['onnx' as const, ...(opts.verify === false ? [] : ['verify' as const])] : []), ...(formats.includes('card') ? ['card' as const] : []), 'finish'];
  let done = 0;
  const step = (s: ExportStep) => {
    if (hooks.signal?.aborted) throw new CancelledError(`export of ${what} was cancelled`);
    hooks.progress?.(s, done++, steps.length);
  };

  step('check');
  // Validates keys and shapes whatever the formats: an ONNX of weights that do not fit is refused the same way.
  const stateDict = monaiIncompatibility(src.resnet) ? null : monaiStateDict(src.resnet, src.encoder, opts.keys, `the encoder of ${what}`);
  const folder = await StagedFolder.create(out);
  try {
    const files: ExportedFile[] = [];
    let verification: OnnxVerification | null = null;
    if (formats.includes('safetensors')) {
      step('safetensors');
      const ctor = monaiConstructor(src.resnet);
      const meta = { format: 'pt', 'voxelbase.version': opts.version, 'voxelbase.run': String(src.run.id), 'voxelbase.step': String(src.checkpoint.step), keys: opts.keys, 'monai.constructor': `monai.networks.nets.${ctor.call}` };
      const enc = await folder.write(FILES.encoder, encodeSafetensors(stateDict!, meta));
      files.push({ ...enc, format: 'safetensors', content: `encoder state dict, ${opts.keys === 'monai' ? "MONAI's ResNet keys" : "MedicalNet's keys (module. prefix)"}, float32, BN running statistics and num_batches_tracked included` });
      if (src.heads) {
        const heads = await folder.write(FILES.heads, encodeSafetensors(headsStateDict(src), { format: 'pt', 'voxelbase.version': opts.version, 'voxelbase.run': String(src.run.id) }));
        files.push({ ...heads, format: 'safetensors', content: 'BYOL projector and predictor (projector.*, predictor.*: Linear-BatchNorm1d-ReLU-Linear as nn.Sequential keys 0, 1, 3)' });
      }
    }
    if (formats.includes('onnx')) {
      step('onnx');
      const doc = `Voxelbase ${opts.version}: 3D ResNet encoder of run ${src.run.id} (${src.run.name}) at step ${src.checkpoint.step}, BYOL-pretrained; BatchNorm folded; input image [N, ${src.resnet.inChannels}, ${src.input.box.join(', ')}] -> embedding [N, features]`;
      const bytes = encoderOnnx(src.resnet, src.encoder, src.input.box, onnxMetadata(src, opts.version), doc);
      if (opts.verify !== false) {
        step('verify');
        verification = await verifyEncoderOnnx(bytes, src.resnet, src.encoder, src.input.box, { threads: opts.threads });
        if (!(verification.maxRelDiff <= 1e-4)) {
          throw new ExportError(`the ONNX encoder of ${what} differs from the unfolded encoder by ${verification.maxRelDiff.toExponential(2)} of the largest feature (limit 1e-4)`);
        }
      }
      const f = await folder.write(FILES.onnx, bytes);
      files.push({ ...f, format: 'onnx', content: 'encoder for inference, BatchNorm folded, opset 17, input image [N, C, D, H, W] float32, output embedding [N, features]; metadata props describe the input' });
    }
    const card = buildModelCard(src, {
      keys: opts.keys,
      licence: opts.licence?.trim() || DEFAULT_LICENCE,
      version: opts.version,
      createdAt: (opts.now?.() ?? new Date()).toISOString(),
      files: [...files],
      verification,
      parameters: parameterCount(src.encoder),
    });
    if (formats.includes('card')) {
      step('card');
      const json = await folder.write(FILES.cardJson, Buffer.from(`${JSON.stringify(card, null, 2)}\n`, 'utf8'));
      const md = await folder.write(FILES.cardMarkdown, Buffer.from(renderModelCardMarkdown(card), 'utf8'));
      files.push({ ...json, format: 'model-card', content: 'model card (JSON)' }, { ...md, format: 'model-card', content: 'model card (Markdown)' });
    }
    step('finish');
    const dir = await folder.commit();
    hooks.progress?.('finish', steps.length, steps.length);
    return { dir, files, card };
  } catch (err) {
    await folder.abort();
    throw err;
  }
}
