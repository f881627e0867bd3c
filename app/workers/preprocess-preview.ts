// Worker-thread entry for one augmentation preview (data:augmentPreview), so that reading the cache file and
// rendering both views never holds the service's main thread: workerData {entry, seed, box, augment} ->
// one message, the AugmentPreview (or {error} with the serialised error).
import { parentPort, workerData } from 'node:worker_threads';
import { augmentPreview } from '../services/augment/index.js';
import { serializeError } from '../contract/errors.js';
import type { AugmentConfig, PreprocessedEntry } from '../contract/types.js';

const { entry, seed, box, augment } = workerData as { entry: PreprocessedEntry; seed: number; box: [number, number, number]; augment: AugmentConfig };
try {
  parentPort!.postMessage({ preview: augmentPreview(entry, seed, box, augment) });
} catch (e) {
  parentPort!.postMessage({ error: serializeError(e) });
}
