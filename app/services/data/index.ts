// Public module of the data domain: the data:* calls' handlers and the `preprocess` job starter. The work
// itself lives in app/services/preprocess (cache), app/services/augment (views, preview) and
// app/services/loader (batches).
export { dataHandlers, startPreprocessJob } from './handlers.js';
