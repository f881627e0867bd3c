// Script for loader.test.ts (run as its own process with tsx): a BYOL step of a ResNet-18 (bench defaults at a
// 16^3 input) on onnxruntime fed from a loader batch, then the loader closed. Before TaskPool.close held the event
// loop, this process ended with exit code 13 (top-level await unsettled) instead of closing (the tiny test
// network did not show it). Prints `closed` and exits 0.
import fs from 'node:fs';
import { ByolTrainRunner, buildTrainStep, initParams, resnetPreset, type TrainStepConfig } from '../../../../../native-models/index.js';
import { createLoader } from '../../../../../app/services/loader/index.js';

const cfg: TrainStepConfig = {
  encoder: resnetPreset(18),
  heads: { projHidden: 4096, projOut: 256, predHidden: 4096 },
  optimizer: { type: 'lars', momentum: 0.9, eta: 1e-3 },
  batch: 2,
  inputShape: [1, 16, 16, 16],
};
const runner = await ByolTrainRunner.create(cfg, initParams(buildTrainStep(cfg).specs, 1), { intraOpNumThreads: 2, interOpNumThreads: 1, adoptValues: true });
const loader = createLoader({ entries: JSON.parse(fs.readFileSync(process.argv[2], 'utf8')), batch: 8, box: [64, 64, 64], seed: 1 });
const b = await loader.next();
const v = { dtype: 'float32' as const, dims: [2, 1, 16, 16, 16], data: b.view1.subarray(0, 2 * 16 ** 3) };
await runner.step(v, v, { lr: 0.1, weightDecay: 0, tau: 0.99, step: 1 });
await loader.close();
console.log('closed');
