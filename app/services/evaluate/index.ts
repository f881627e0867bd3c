// The evaluate domain's public module: retrieval metrics (kNN accuracy, recall@k, mAP) of an embedding
// against labels. The pretrain quality bench reuses `retrievalMetrics` from here.
export {
  retrievalMetrics,
  neighbourOrder,
  majorityLabel,
  DEFAULT_KNN_K,
  DEFAULT_RECALL_K,
  type RetrievalMetrics,
  type MetricOptions,
} from './metrics.js';
export { runEval, evalResults } from './run-eval.js';
export { evalHandlers, embeddingProjection } from './handlers.js';
export { pca2, type Projection2d } from './projection.js';
