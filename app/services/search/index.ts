// The search domain's public module: vector sets, certified exact search, the persisted HNSW graph and the
// router between them. Other domains (embed, evaluate) and the benches use search through this file only.
export { SearchError } from './errors.js';
export { VectorMatrix, normaliseQuery } from './vector-matrix.js';
export { exactSearch, bruteForceSearch, type SearchHit, type ExactSearchOptions, type ExactSearchStats } from './exact-search.js';
export { HnswIndex, type HnswOptions } from './hnsw-index.js';
export { VectorSearch, DEFAULT_EXACT_UP_TO, type VectorSearchOptions, type VectorSearchResult } from './vector-search.js';
export { ModelSets, type ModelSet } from './model-sets.js';
export { searchSimilar, modelSets, type SimilarArgs } from './similar.js';
export { searchHandlers } from './handlers.js';
export { receiveUpload, uploadFile, uploadsDir, pruneUploads, safeUploadName, DEFAULT_UPLOAD_LIMIT, type UploadOptions } from './uploads.js';
