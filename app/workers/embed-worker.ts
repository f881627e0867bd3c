// Worker thread of the embed job and of file queries: builds the encoder session once (workerData: resnet,
// params, box, threads), then answers each message, {id, entry} (a preprocessed cache entry) or {id, volume}
// (normalised values in memory), with {id, vector, tiles} or {id, error: {name, message}}.
import { parentPort, workerData } from 'node:worker_threads';
import { VolumeEmbedder, type EmbedderOptions, type VolumeEmbedding } from '../services/embed/volume-embedder.js';
import type { PreprocessedEntry } from '../contract/types/data.js';

const port = parentPort!;
const ready = VolumeEmbedder.create(workerData as EmbedderOptions);
ready.catch((e: Error) => port.postMessage({ id: -1, error: { name: e.name, message: e.message } }));

type Message = { id: number; entry?: PreprocessedEntry; volume?: { values: Float32Array; dims: [number, number, number] } };

port.on('message', async (m: Message) => {
  try {
    const embedder = await ready;
    let out: VolumeEmbedding;
    if (m.entry) out = await embedder.embedEntry(m.entry);
    else if (m.volume) out = await embedder.embedVolume(m.volume.values, m.volume.dims, 1, 0);
    else throw new Error('message has neither entry nor volume');
    port.postMessage({ id: m.id, vector: out.vector, tiles: out.tiles }, [out.vector.buffer]);
  } catch (e) {
    const err = e as Error;
    port.postMessage({ id: m.id, error: { name: err.name, message: err.message } });
  }
});
