// A query volume that is not in the catalogue (a file dropped on the Search screen, `voxelbase search FILE`):
// read (NIfTI; DICOM series are imported first), preprocessed in memory with the model's settings (the same
// recipe as the cache: app/services/preprocess), and embedded like a catalogued series (tiles, mean) in the
// embed worker, so the UI thread never runs the encoder. Nothing is written to the catalogue or the cache.
import fs from 'node:fs';
import { isNiftiPath, readNifti, scaledData } from '../imaging/index.js';
import { intensityModeFor, preprocessVolume } from '../preprocess/index.js';
import { EmbedError } from '../../contract/errors.js';
import { spawnWorker } from '../../platform/workers.js';
import type { EncoderSource } from './encoder-source.js';

export async function embedFile(source: EncoderSource, file: string, threads?: number): Promise<Float32Array> {
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new EmbedError(`${file}: not a file`);
  if (!isNiftiPath(file)) throw new EmbedError(`${file}: a query file must be NIfTI (.nii, .nii.gz); import DICOM series and search from them`);
  let real: Float32Array;
  let dims: [number, number, number];
  let affine: number[][];
  try {
    const [v] = await readNifti(file, { volumes: [source.settings.volume], applyScaling: false });
    dims = v.dims.slice(0, 3) as [number, number, number];
    affine = v.affine;
    real = scaledData(v);
  } catch (e) {
    throw new EmbedError(`${file}: cannot be read as a volume (${(e as Error).message})`, { cause: e });
  }
  if (dims.some((d) => d < 2)) throw new EmbedError(`${file} is 2-D (${dims.join(' x ')} voxels): search needs a 3-D volume`);
  const pre = preprocessVolume(real, dims, affine as never, intensityModeFor('', source.settings), source.settings, file);
  const w = spawnWorker(import.meta.url, '../../workers/embed-worker.js', {
    workerData: { resnet: source.resnet, params: source.params, box: source.box, threads },
  });
  try {
    return await new Promise<Float32Array>((resolve, reject) => {
      w.on('message', (r: { id: number; vector?: Float32Array; error?: { name: string; message: string } }) => {
        if (r.vector) resolve(r.vector);
        else reject(new EmbedError(`${file}: ${r.error?.message ?? 'no vector'}`));
      });
      w.on('error', reject);
      w.on('exit', (code) => reject(new EmbedError(`${file}: the embed worker exited (code ${code})`)));
      w.postMessage({ id: 0, volume: { values: pre.values, dims: pre.dims } });
    });
  } finally {
    w.removeAllListeners('exit');
    await w.terminate();
  }
}
