// Embedding with a pretraining run's encoder: the run's newest checkpoint (online.encoder.* tensors), input box
// and preprocessing settings are used (the vectors equal those of the same tensors given directly), over a
// cohort's members; the model records the run and step; a file query embeds with the run's encoder too.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRun, checkpointDir, writeCheckpoint } from '../../../../../app/services/runs/index.js';
import { loadEmbeddings } from '../../../../../app/services/embed/index.js';
import { resolveSettings } from '../../../../../app/services/preprocess/index.js';
import { randomEncoderParams, resnetPreset } from '../../../../../native-models/index.js';
import type { PretrainConfig } from '../../../../../app/contract/types/runs.js';
import { NIBABEL } from '../import/helpers.js';
import { type Corpus, TINY_ENCODER, embedAll, importCorpus } from './corpus.js';

let c: Corpus;
beforeAll(async () => {
  c = await importCorpus('embed-run');
}, 120_000);
afterAll(async () => c?.close());

describe('embed with a run', () => {
  it("uses the run's checkpoint, box and preprocessing, over a cohort", async () => {
    const db = c.h.services.db;
    const resnet = resnetPreset(10, { widths: [...TINY_ENCODER.widths] });
    const config = { resnet, input: [...TINY_ENCODER.box], preprocess: resolveSettings({}), steps: 10, seed: 1 } as unknown as PretrainConfig;
    const run = createRun(db, { name: 'tiny', cohort: null, config, hardware: { cpu: 'test', threads: 1 } });
    const tensors = Object.fromEntries(Object.entries(randomEncoderParams(resnet, TINY_ENCODER.seed)).map(([k, v]) => [`online.encoder.${k}`, v]));
    writeCheckpoint(checkpointDir(c.h.dataDir, run.id), { run: run.id, step: 7, loaderPosition: 0, seed: 1, config, createdAt: new Date().toISOString() }, tensors, 2);
    const members = [c.ids['anatomical.nii'], c.ids['standard.nii.gz'], c.ids.mr];
    await c.h.api.call('cohort:create', { name: 'three', seriesIds: members });

    const { job, model } = await c.h.api.call('embed:start', { encoder: { kind: 'run', run: run.id }, series: { cohort: 'three' }, threads: 2 });
    const snap = await c.h.services.jobs.wait(job);
    expect(snap.state).toBe('done');
    expect([model.source, model.runId, model.step, model.bn]).toEqual(['run', run.id, 7, 'trained']);
    expect((await c.h.api.call('embed:models', { run: run.id })).map((m) => m.id)).toEqual([model.id]);

    // The same tensors as a random encoder (same seed, box, settings) give the same vectors.
    const random = await embedAll(c.h, { ids: members });
    const a = loadEmbeddings(db, model.id);
    const b = loadEmbeddings(db, random.model.id);
    expect(Array.from(a.seriesIds)).toEqual([...members].sort((x, y) => x - y));
    expect(a.vectors).toEqual(b.vectors);
    expect(model.key).not.toBe(random.model.key);

    const r = await c.h.api.call('search:similar', { model: model.id, query: { path: path.join(NIBABEL, 'anatomical.nii') }, k: 1 });
    expect(r.hits[0].series.id).toBe(c.ids['anatomical.nii']);
    expect(r.hits[0].score).toBeCloseTo(1, 5);
  });
});
