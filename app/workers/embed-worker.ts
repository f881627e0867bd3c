// Worker thread of the embed job: builds the encoder session once (workerData: resnet, params, box, threads),
// then answers each {id, entry} message with {id, vector, tiles} or {id, error: {name, message}}.
import { parentPort, workerData } from 'node:worker_threads';
import { VolumeEmbedder, type EmbedderOptions } from '../services/embed/volume-embedder.js';
import type { PreprocessedEntry } from '../contract/types/data.js';

const port = parentPort!;
const ready = VolumeEmbedder.create(workerData as EmbedderOptions);
ready.catch((e: Error) => port.postMessage({ id: -1, error: { name: e.name, message: e.message } }));

port.on('message', async (m: { id: number; entry: PreprocessedEntry }) => {
  try {
    const embedder = await ready;
    const { vector, tiles } = await embedder.embedEntry(m.entry);
    port.postMessage({ id: m.id, vector, tiles }, [vector.buffer]);
  } catch (e) {
    const err = e as Error;
    port.postMessage({ id: m.id, error: { name: err.name, message: err.message } });
  }
});
