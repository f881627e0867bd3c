// A query volume that is not in the catalogue (a file dropped on the Search screen, `voxelbase search FILE`):
// read (query-volume.ts: NIfTI, a DICOM file, a folder of DICOM files or a zipped DICOM series), preprocessed in
// memory with the model's settings (the same recipe as the cache: app/services/preprocess), and embedded like a
// catalogued series (tiles, mean) in the embed worker, so the calling thread never runs the encoder. Nothing is
// written to the catalogue or the cache.
import { intensityModeFor, preprocessVolume } from '../preprocess/index.js';
import { EmbedError } from '../../contract/errors.js';
import { spawnWorker } from '../../platform/workers.js';
import { type EncoderSource, embedderOptions } from './encoder-source.js';
import { readQueryVolume } from './query-volume.js';

export interface FileEmbedding {
  vector: Float32Array;
  /** What was embedded, in words (query-volume.ts). */
  description: string;
}

/** `dataDir`: the data folder whose conv plan the embed job tuned (encoder-source.ts embedderOptions). */
export async function embedFile(source: EncoderSource, file: string, opts: { threads?: number; dataDir: string }): Promise<FileEmbedding> {
  const q = await readQueryVolume(file, source.settings.volume);
  const pre = preprocessVolume(q.real, q.dims, q.affine, intensityModeFor(q.modality, source.settings), source.settings, file);
  const w = spawnWorker(import.meta.url, '../../workers/embed-worker.js', {
    workerData: embedderOptions(source, opts),
  });
  try {
    const vector = await new Promise<Float32Array>((resolve, reject) => {
      w.on('message', (r: { id: number; vector?: Float32Array; error?: { name: string; message: string } }) => {
        if (r.vector) resolve(r.vector);
        else reject(new EmbedError(`${file}: ${r.error?.message ?? 'no vector'}`));
      });
      w.on('error', reject);
      w.on('exit', (code) => reject(new EmbedError(`${file}: the embed worker exited (code ${code})`)));
      w.postMessage({ id: 0, volume: { values: pre.values, dims: pre.dims } });
    });
    return { vector, description: q.description };
  } finally {
    w.removeAllListeners('exit');
    await w.terminate();
  }
}
