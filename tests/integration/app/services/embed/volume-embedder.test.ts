// The embedder's two graphs: full batches run on a static-batch graph with this machine's tuned conv plan (cached
// in the given tuning folder), the last partial batch on a symbolic-batch graph. On a real volume (nibabel's
// anatomical MR, preprocessed as the embed job does, 8 tiles of 16^3) embedded in batches of 3 (3 + 3 + 2 tiles)
// and of 8 (one full batch), the vector equals the reference: the default-plan symbolic encoder run on all tiles at
// once, then the tiles' mean. A second embedder reads the tuned plan from the cache instead of timing again.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VolumeEmbedder } from '../../../../../app/services/embed/index.js';
import { readQueryVolume } from '../../../../../app/services/embed/query-volume.js';
import { extractTile, tileGrid, volumeMinimum } from '../../../../../app/services/embed/tiles.js';
import { intensityModeFor, preprocessVolume, resolveSettings } from '../../../../../app/services/preprocess/index.js';
import { GraphSession, buildEncoder, randomEncoderParams, resnetPreset } from '../../../../../native-models/index.js';
import { NIBABEL } from '../import/helpers.js';

const tuningDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-embedder-tuning-'));
afterAll(() => fs.rmSync(tuningDir, { recursive: true, force: true }));

const resnet = resnetPreset(10, { widths: [8, 16, 16, 32] });
const params = randomEncoderParams(resnet, 5);
const box: [number, number, number] = [16, 16, 16];

async function realVolume() {
  const settings = resolveSettings({ spacing: [3, 3, 3] });
  const q = await readQueryVolume(path.join(NIBABEL, 'anatomical.nii'), 0);
  const pre = preprocessVolume(q.real, q.dims, q.affine, intensityModeFor(q.modality, settings), settings, 'anatomical');
  return { values: pre.values, dims: pre.dims as [number, number, number] };
}

/** The tiles' mean feature through the default-plan encoder with a symbolic batch, all tiles in one run. */
async function reference(values: Float32Array, dims: [number, number, number]): Promise<{ vector: Float64Array; tiles: number }> {
  const { starts } = tileGrid(dims, box);
  const voxels = box[0] * box[1] * box[2];
  const input = new Float32Array(starts.length * voxels);
  const pad = volumeMinimum(values, 1, 0);
  starts.forEach((s, i) => extractTile(values, dims, 1, 0, s, box, pad, input.subarray(i * voxels, (i + 1) * voxels)));
  const session = await GraphSession.create(buildEncoder(resnet, params, { spatial: box, prefix: '' }), { intraOpNumThreads: 2 });
  try {
    const out = (await session.run({ image: { dtype: 'float32', dims: [starts.length, 1, ...box], data: input } })).embedding.data as Float32Array;
    const d = out.length / starts.length;
    const vector = new Float64Array(d);
    for (let i = 0; i < out.length; i++) vector[i % d] += out[i] / starts.length;
    return { vector, tiles: starts.length };
  } finally {
    await session.release();
  }
}

describe('VolumeEmbedder', () => {
  it('embeds full batches on the tuned static graph and the rest on the symbolic one, both as the reference', async () => {
    const { values, dims } = await realVolume();
    const ref = await reference(values, dims);
    expect(ref.tiles).toBe(8);
    const scale = Math.max(...Array.from(ref.vector, Math.abs));
    expect(scale).toBeGreaterThan(0);
    for (const batch of [3, 8]) {
      const emb = await VolumeEmbedder.create({ resnet, params, box, threads: 2, batch, tuningDir });
      try {
        expect(emb.convPlan.source).toBe('tuned');
        expect(emb.convPlan.choices.length).toBeGreaterThan(0);
        // the plan's signatures carry the static batch, not the nominal one of a symbolic graph
        expect(emb.convPlan.choices.every((c) => c.signature.includes(`x[${batch},`))).toBe(true);
        const { vector, tiles } = await emb.embedVolume(values, dims, 1, 0);
        expect(tiles).toBe(8);
        const diff = Math.max(...Array.from(vector, (v, i) => Math.abs(v - ref.vector[i])));
        expect(diff / scale).toBeLessThan(1e-5);
      } finally {
        await emb.close();
      }
    }
    // the plan is cached: a second embedder at batch 3 times nothing
    const again = await VolumeEmbedder.create({ resnet, params, box, threads: 2, batch: 3, tuningDir });
    await again.close();
    expect(again.convPlan.source).toBe('cache');
    expect(again.convPlan.tunedNow).toBe(0);
    expect(fs.existsSync(path.join(tuningDir, 'conv-plans.json'))).toBe(true);
  }, 120_000);

  it('refuses more tiles in one run than its batch', async () => {
    const emb = await VolumeEmbedder.create({ resnet, params, box, threads: 1, batch: 2 });
    try {
      await expect(emb.runTiles(new Float32Array(3 * 16 ** 3), 3)).rejects.toThrow('3 tiles in one run, at most 2');
      expect(emb.convPlan.source).toBe('default');
    } finally {
      await emb.close();
    }
  });
});
