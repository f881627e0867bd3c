// A smaller version of `npm run bench -- pretrain-quality` (issue 9, "Done when": it learns; "a test holds a smaller
// version with thresholds set from measured results"). The bench's own code (bench/pretrain-quality.ts
// pretrainQuality) on two real brain MR volumes (Colin27 and its skull-stripped twin, mricron-data): imported and
// preprocessed at 4 mm, a cohort of both, BYOL trained through the Start button's path (pretrain:start in a service
// process), then a region-retrieval task (crops labelled by volume and a 3x3x3 grid region, disjoint gallery and
// query crops) scores the trained encoder against the run's own initial encoder with BN statistics re-estimated on
// the gallery (the fair baseline). Tiny configuration: ResNet-10 widths 8-16-32-64, heads 64 -> 32, 16^3 crops,
// batch 16, AdamW 1e-3, 200 steps, seed 3; no PyTorch peer (the bench has it).
//
// Thresholds, from seeds 1-6 of this configuration (AMD EPYC Zen 2, 2 cores, load 6-16), kNN-1 gain of the trained
// encoder over the random one with BN re-estimated, on the 324 queries: with the default conv plans 0.074, 0.077,
// 0.127, 0.086, 0.093 (seeds 1-5); with the conv plans the trainer now tunes per machine 0.056, 0.068, 0.136, 0.120,
// 0.105, 0.142 (seeds 1-6): a run's figures move with the plan (its rounding), as they will on another machine.
// recall@5 gains 0.065-0.120. With 108 queries (2 per region) the gains had spread from 0.046 to 0.167: the query
// count made most of that spread, hence 6 per region. The test trains seed 3 (gains 0.127 and 0.136, kNN-1 0.361 ->
// 0.488 and 0.497) and asserts a gain of 0.04 (the bench's target) and a recall@5 gain of 0.02: under every gain
// measured on any seed, so a run that learns passes on another machine's rounding, and one that does not learn
// fails: with the learning rate at 1e-7 (nothing learned; BN statistics still adapt) kNN-1 went 0.395 -> 0.386,
// recall@5 0.611 -> 0.599, the loss 3.83 -> 3.80, and the test failed. 40-60 s at load 6-7.
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_QUALITY, pretrainQuality } from '../../../../../bench/pretrain-quality.js';

const dir = path.resolve('tests/.tmp', `pretrain-quality-${process.pid}-${Date.now().toString(36)}`);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** kNN-1 of the trained encoder must beat the BN-re-estimated random one by at least this much (see above). */
const MARGIN = 0.04;

describe('pretrain quality (small)', () => {
  it('BYOL trained through pretrain:start retrieves regions better than the random encoder with BN re-estimated', async () => {
    const r = await pretrainQuality({
      ...DEFAULT_QUALITY,
      volumes: ['ch2', 'ch2bet'],
      steps: 200,
      input: 16,
      spacing: 4,
      batch: 16,
      widths: [8, 16, 32, 64],
      heads: { projHidden: 64, projOut: 32, predHidden: 64 },
      optimizer: 'adamw',
      lr: 1e-3,
      seed: 3,
      trainPer: 6,
      evalPer: 6,
      threads: 2,
      peer: false,
      dir,
    });
    console.log(`pretrain quality (small): kNN-1 ${r.random.knn1.toFixed(3)} random -> ${r.voxelbase.knn1.toFixed(3)} BYOL; recall@5 ${r.random.recall5.toFixed(3)} -> ${r.voxelbase.recall5.toFixed(3)}; loss ${r.voxelbase.lossStart.toFixed(3)} -> ${r.voxelbase.lossEnd.toFixed(3)}; collapse std ${r.voxelbase.collapseStd?.toFixed(4)} (healthy ${r.voxelbase.healthyStd.toFixed(4)})`);
    // the task is what it says: 2 volumes x 27 regions, 6 gallery and 6 query crops each
    expect(r.task).toEqual({ crops: 648, classes: 54, queries: 324 });
    // it trained: the loss fell and the projections did not collapse
    expect(r.voxelbase.lossEnd).toBeLessThan(r.voxelbase.lossStart - 0.5);
    expect(r.voxelbase.collapseStd).toBeGreaterThan(0.5 * r.voxelbase.healthyStd);
    // and it learned: better retrieval than the fair baseline, by the measured margin
    expect(r.voxelbase.knn1).toBeGreaterThanOrEqual(r.random.knn1 + MARGIN);
    expect(r.voxelbase.recall5).toBeGreaterThanOrEqual(r.random.recall5 + 0.02);
  }, 300_000);
});
