// Checkpoints of a training run: `<dataDir>/runs/<id>/checkpoints/step-<step, 9 digits>.safetensors`.
// One file holds the whole training state: every tensor of the BYOL runner (online and target networks, BN running
// statistics and num_batches_tracked, optimiser state `state.<param>.<slot>`) as safetensors, and in its
// `__metadata__` (string map) the format, the run, the step, the loader position, the seed and the configuration
// (JSON), the time, and `data_crc32`, the CRC-32 of the tensor bytes (hex, patched into the header after encoding:
// the header keeps its length). The loader's batch k depends only on (seed, k) (app/services/loader), so seed and
// position are the whole random state of a run.
// Written whole or absent (platform/atomic-write.ts); the last `keep` are kept. A reader takes the newest file that
// decodes and passes its CRC, and skips (never loads) a truncated or corrupt one; temporary files never match.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { decodeSafetensors, encodeSafetensors, type TensorData, type TensorMap } from '../../../native-models/index.js';
import { CheckpointError } from '../../contract/errors.js';
import type { PretrainConfig, RunCheckpointRef } from '../../contract/types/runs.js';
import { TEMP_SUFFIX, writeFileAtomicSync } from '../../platform/atomic-write.js';

export const CHECKPOINT_FORMAT = 'voxelbase-checkpoint';
export const CHECKPOINT_VERSION = 1;
const NAME = /^step-(\d{9})\.safetensors$/;
const CRC_PLACEHOLDER = '00000000';

export function runDir(dataDir: string, run: number): string {
  return path.join(dataDir, 'runs', String(run));
}

export function checkpointDir(dataDir: string, run: number): string {
  return path.join(runDir(dataDir, run), 'checkpoints');
}

export const checkpointName = (step: number): string => `step-${String(step).padStart(9, '0')}.safetensors`;

export interface CheckpointMeta {
  run: number;
  step: number;
  /** Index of the next batch the loader gives (the run's whole random state with the seed). */
  loaderPosition: number;
  seed: number;
  config: PretrainConfig;
  createdAt: string;
}

export interface Checkpoint extends CheckpointMeta {
  file: string;
  tensors: Record<string, TensorData>;
}

/** Writes a checkpoint whole or absent and keeps the newest `keep`; returns its reference and size. */
export function writeCheckpoint(dir: string, meta: CheckpointMeta, tensors: Record<string, TensorData>, keep: number): RunCheckpointRef & { bytes: number } {
  fs.mkdirSync(dir, { recursive: true });
  const bytes = encodeSafetensors(tensors as TensorMap, {
    format: CHECKPOINT_FORMAT,
    version: String(CHECKPOINT_VERSION),
    run: String(meta.run),
    step: String(meta.step),
    loader_position: String(meta.loaderPosition),
    seed: String(meta.seed),
    created_at: meta.createdAt,
    config: JSON.stringify(meta.config),
    data_crc32: CRC_PLACEHOLDER,
  });
  const headerLen = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const crc = zlib.crc32(bytes.subarray(8 + headerLen)).toString(16).padStart(8, '0');
  const header = Buffer.from(bytes.buffer, bytes.byteOffset + 8, headerLen);
  const at = header.indexOf(`"data_crc32":"${CRC_PLACEHOLDER}"`);
  if (at < 0) throw new CheckpointError('checkpoint header has no data_crc32 field to fill');
  header.write(crc, at + '"data_crc32":"'.length, 'latin1');
  const file = checkpointName(meta.step);
  writeFileAtomicSync(path.join(dir, file), bytes);
  pruneCheckpoints(dir, keep, meta.step);
  return { step: meta.step, file, bytes: bytes.byteLength };
}

/** Checkpoint files of a folder by step, oldest first (temporary files excluded). */
export function listCheckpoints(dir: string): RunCheckpointRef[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .map((file) => ({ file, m: NAME.exec(file) }))
    .filter((x): x is { file: string; m: RegExpExecArray } => x.m !== null)
    .map(({ file, m }) => ({ step: Number(m[1]), file }))
    .sort((a, b) => a.step - b.step);
}

/** Deletes all but the newest `keep` checkpoints (never `protect`), and stray temporary files of dead writers. */
export function pruneCheckpoints(dir: string, keep: number, protect?: number): void {
  const all = listCheckpoints(dir);
  for (const c of all.slice(0, Math.max(0, all.length - Math.max(1, keep)))) {
    if (c.step !== protect) fs.rmSync(path.join(dir, c.file), { force: true });
  }
  for (const f of fs.readdirSync(dir)) {
    if (f.endsWith(TEMP_SUFFIX) && !f.endsWith(`.${process.pid}${TEMP_SUFFIX}`)) fs.rmSync(path.join(dir, f), { force: true });
  }
}

/** Reads and verifies one checkpoint file (CheckpointError naming the file when it is not whole and valid). */
export function readCheckpoint(file: string): Checkpoint {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new CheckpointError(`checkpoint ${file} cannot be read: ${(e as Error).message}`);
  }
  let decoded;
  try {
    decoded = decodeSafetensors(bytes, file);
  } catch (e) {
    throw new CheckpointError(`checkpoint ${file} is not a whole safetensors file: ${(e as Error).message}`);
  }
  const m = decoded.metadata;
  if (m.format !== CHECKPOINT_FORMAT) throw new CheckpointError(`${file} is not a Voxelbase checkpoint (format ${JSON.stringify(m.format)})`);
  if (Number(m.version) > CHECKPOINT_VERSION) throw new CheckpointError(`checkpoint ${file} has version ${m.version}, newer than this Voxelbase reads (${CHECKPOINT_VERSION})`);
  const headerLen = Number(bytes.readBigUInt64LE(0));
  const crc = zlib.crc32(bytes.subarray(8 + headerLen)).toString(16).padStart(8, '0');
  if (crc !== m.data_crc32) throw new CheckpointError(`checkpoint ${file} is corrupt: its tensor bytes fail their CRC-32 (${crc}, header says ${m.data_crc32})`);
  let config: PretrainConfig;
  try {
    config = JSON.parse(m.config) as PretrainConfig;
  } catch {
    throw new CheckpointError(`checkpoint ${file} has no readable configuration`);
  }
  return {
    file: path.basename(file),
    run: Number(m.run),
    step: Number(m.step),
    loaderPosition: Number(m.loader_position),
    seed: Number(m.seed),
    createdAt: m.created_at,
    config,
    tensors: decoded.tensors as Record<string, TensorData>,
  };
}

/**
 * The newest valid checkpoint in `dir` (or the one at `step`); files that fail to read or verify are skipped and
 * named in `skipped`. Null when there is none.
 */
export function latestCheckpoint(dir: string, opts: { step?: number } = {}): { checkpoint: Checkpoint | null; skipped: string[] } {
  const skipped: string[] = [];
  const all = listCheckpoints(dir).filter((c) => opts.step === undefined || c.step === opts.step);
  for (const c of all.reverse()) {
    try {
      return { checkpoint: readCheckpoint(path.join(dir, c.file)), skipped };
    } catch (e) {
      skipped.push((e as Error).message);
    }
  }
  return { checkpoint: null, skipped };
}
