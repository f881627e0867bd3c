// Test support for the preprocessing oracle tests: runs oracle.py (nibabel + scipy, Debian's python) on a
// NIfTI file and reads back its resampled grid, its normalised foreground box and its statistics; reads a
// cache file's voxels as real values.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { readCacheFile, type CacheHeader } from '../../../../../../app/services/preprocess/cache-file.js';

const ORACLE = path.join(import.meta.dirname, 'oracle.py');

export interface OracleResult {
  grid_dims: [number, number, number];
  grid_affine: number[][];
  sigma: number[];
  low: number;
  high: number;
  shift: number;
  divisor: number;
  threshold: number;
  foreground_voxels: number;
  fov_voxels: number;
  box_start: [number, number, number];
  box_size: [number, number, number];
  resampled: Float32Array;
  final: Float32Array;
}

export function runOracle(file: string, outPrefix: string, spacing: number, extra: string[] = []): OracleResult {
  try {
    execFileSync('/usr/bin/python3', [ORACLE, file, outPrefix, String(spacing), ...extra], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    throw new Error(`oracle.py failed: ${(e as { stderr?: Buffer }).stderr?.toString().slice(-2000) ?? String(e)}`, { cause: e });
  }
  const json = JSON.parse(fs.readFileSync(`${outPrefix}.json`, 'utf8')) as Omit<OracleResult, 'resampled' | 'final'>;
  const f32 = (f: string) => {
    const b = fs.readFileSync(f);
    return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  };
  return { ...json, resampled: f32(`${outPrefix}.resampled.f32`), final: f32(`${outPrefix}.final.f32`) };
}

/** Real values of a cache file (offset + scale * q) and its header. */
export function cacheValues(file: string): { header: CacheHeader; values: Float32Array } {
  const { header, data } = readCacheFile(file);
  const values = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) values[i] = header.offset + header.scale * data[i];
  return { header, values };
}

/** Largest |a - b| over voxels finite in both, and how many voxels are finite in exactly one. */
export function compare(a: Float32Array, b: Float32Array): { maxAbs: number; nanMismatch: number } {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let maxAbs = 0;
  let nanMismatch = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (Number.isNaN(x) !== Number.isNaN(y)) nanMismatch++;
    else if (!Number.isNaN(x)) maxAbs = Math.max(maxAbs, Math.abs(x - y));
  }
  return { maxAbs, nanMismatch };
}
