// Worker-thread entry of the batch loader: workerData is the BatchSpec (entries, batch, box, seed,
// augmentations); each task {k} answers batch k with its two view arrays moved (not copied) to the loader.
import { workerData } from 'node:worker_threads';
import { serveTasks, transfer } from '../platform/task-pool.js';
import { BatchMaker, type BatchSpec } from '../services/loader/make-batch.js';

const maker = new BatchMaker(workerData as BatchSpec);

serveTasks<{ k: number }>(({ k }) => {
  const b = maker.make(k);
  return transfer(b, [b.view1.buffer, b.view2.buffer]);
});
