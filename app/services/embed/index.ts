// The embed domain's public module: encoders as embedding sources, the volume embedder (tiles -> encoder ->
// mean), the catalogue store of models and vectors, and the embed job's handlers.
export { tileGrid, tileStarts, extractTile, MAX_TILES_PER_AXIS } from './tiles.js';
export { VolumeEmbedder, type EmbedderOptions, type VolumeEmbedding } from './volume-embedder.js';
export { randomEncoderSource, runEncoderSource, modelKey, architectureName, DEFAULT_EMBED_BOX, type EncoderSource } from './encoder-source.js';
export { upsertModel, getModel, listModels, loadEmbeddings, saveEmbedding, modelEncoderSource, modelArchitecture, type EmbeddingSet } from './store.js';
export { embedFile } from './embed-file.js';
export { embedHandlers, resolveEncoder, resolveSeries, startEmbedJob } from './handlers.js';
export { exportEmbeddings, npyBytes, type EmbeddingsExport } from './export-embeddings.js';
