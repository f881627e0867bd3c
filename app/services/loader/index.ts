// Public module of the batch loader (DESIGN §5a), what the trainer codes against:
//
//   const { entries } = await ensurePreprocessed({ dataDir, db }, seriesIds, { settings })   // app/services/preprocess
//   const loader = createLoader({ entries, batch: 8, box: [64, 64, 64], seed, augment, position, workers, queueDepth });
//   const b = await loader.next();   // { view1, view2: Float32Array [8,1,64,64,64]; dims; index; position; seriesIds }
//   ... train on b; checkpoint b.position; a resumed run passes it as `position` and gets the same next batches
//   await loader.close();
//
// Batch k depends only on (seed, k): not on `workers`, `queueDepth` or timing. Works in any thread (the
// trainer's process creates its own loader workers). Throws LoaderError on bad options, an empty
// entry list or a cache file that is gone or truncated.
export { createLoader, defaultLoaderWorkers, type Loader, type LoaderOptions, type Batch } from './loader.js';
