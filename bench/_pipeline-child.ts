// Child process of bench/pipeline.ts: a BYOL training step at ResNet-18 defaults (bench/_train-step-child.ts's
// benchConfig: 8 x 1 x 64^3 per view, LARS, projector/predictor 4096 -> 256) run in a loop, so that its
// peak memory and CPU are its own process's. Two modes:
//   fixed  STEPS THREADS            trains on two fixed random views (the step alone; the parent drains the
//                                  loader meanwhile, to measure the loader's rate while a step runs)
//   loader STEPS THREADS ENTRIES    trains on the loader's batches (createLoader with the entries in the JSON
//                                  file ENTRIES), as the trainer does, and measures how long each step waited for data
// Prints `ready` on stderr once the graph is built, `step <i> <ms>` after each step, and one JSON line
// {"step_ms": [...], "wait_ms": [...]} on stdout at the end.
import fs from 'node:fs';
import { ByolTrainRunner, Philox, buildTrainStep, initParams, type TensorData } from '../native-models/index.js';
import { createLoader } from '../app/services/loader/index.js';
import type { PreprocessedEntry } from '../app/contract/types.js';
import { benchConfig } from './_train-step-child.js';

const [mode, stepsArg, threadsArg, entriesFile] = process.argv.slice(2);
const steps = Number(stepsArg);
const cfg = benchConfig(8, 64);
const params = initParams(buildTrainStep({ ...cfg, batch: 2, inputShape: [1, 16, 16, 16] }).specs, 1);
const runner = await ByolTrainRunner.create(cfg, params, { intraOpNumThreads: Number(threadsArg), interOpNumThreads: 1, adoptValues: true });
const view = (seed: number): TensorData => {
  const r = new Philox(seed);
  const d = new Float32Array(8 * 64 ** 3);
  for (let i = 0; i < d.length; i++) d[i] = r.normal();
  return { dtype: 'float32', dims: [8, 1, 64, 64, 64], data: d };
};
const loader =
  mode === 'loader'
    ? createLoader({ entries: JSON.parse(fs.readFileSync(entriesFile, 'utf8')) as PreprocessedEntry[], batch: 8, box: [64, 64, 64], seed: 1 })
    : null;
const fixed = loader ? null : [view(1), view(2)];
process.stderr.write('ready\n');
const stepMs: number[] = [];
const waitMs: number[] = [];
for (let i = 0; i < steps; i++) {
  const t0 = performance.now();
  let v1 = fixed?.[0];
  let v2 = fixed?.[1];
  if (loader) {
    const b = await loader.next();
    v1 = { dtype: 'float32', dims: b.dims, data: b.view1 };
    v2 = { dtype: 'float32', dims: b.dims, data: b.view2 };
  }
  const t1 = performance.now();
  const { loss } = await runner.step(v1!, v2!, { lr: 0.1, weightDecay: 1.5e-6, tau: 0.99, step: i + 1 });
  if (!Number.isFinite(loss)) throw new Error(`loss is ${loss} at step ${i}`);
  const t2 = performance.now();
  waitMs.push(t1 - t0);
  stepMs.push(t2 - t1);
  process.stderr.write(`step ${i} ${(t2 - t1).toFixed(0)}\n`);
}
await loader?.close();
console.log(JSON.stringify({ step_ms: stepMs, wait_ms: waitMs }));
process.exit(0);
