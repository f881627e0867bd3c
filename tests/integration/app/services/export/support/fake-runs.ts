// A RunSource over in-memory runs (until the runs module lands, and to keep the job tests independent of how runs
// are stored): each run is an ExportRunRecord plus the online weights of trainedSource().
import type { ExportRunRecord, RunSource, RunWeights } from '../../../../../../app/services/export/run-source.js';
import { NotFoundError } from '../../../../../../app/contract/errors.js';
import { trainedSource, type TinyRun } from './trained-source.js';

export async function fakeRun(id: number, t: TinyRun & { name?: string; cohortName?: string }): Promise<{ record: ExportRunRecord; weights: RunWeights }> {
  const src = await trainedSource(t);
  const size = t.size ?? 16;
  return {
    record: {
      id,
      name: t.name ?? `run ${id}`,
      state: 'done',
      cohort: { id: 1, name: t.cohortName ?? 'cohort', members: 4, fingerprint: 'sha256:feedface' },
      config: {
        box: [size, size, size],
        preprocess: { spacing: [2, 2, 3], antiAlias: true, intensity: 'auto', ctWindow: [-1000, 1000], percentiles: [0.5, 99.5], volume: 0 },
        lr: 0.05,
        batch: 2,
        steps: 2,
        seed: 3,
        optimizer: { type: 'adamw', betas: [0.9, 0.999] },
        cohortFilter: { text: 'DOE^JOHN' },
        cacheDir: '/home/lab/secret/path',
      },
      provider: 'cpu',
      hardware: { cpu: 'Test CPU', threads: 2 },
      step: 2,
      totalSteps: 2,
      createdAt: '2025-01-01T00:00:00.000Z',
      endedAt: '2025-01-01T00:01:00.000Z',
    },
    weights: { resnet: src.resnet, encoder: src.encoder, projector: src.heads!.projector, predictor: src.heads!.predictor, step: 2, checkpoint: '/data/runs/1/step-000002.safetensors' },
  };
}

export function fakeRuns(runs: { record: ExportRunRecord; weights: RunWeights }[]): RunSource & { loads: number } {
  const src = {
    loads: 0,
    get(id: number) {
      const r = runs.find((x) => x.record.id === id);
      if (!r) throw new NotFoundError(`no pretraining run ${id}`);
      return r.record;
    },
    async weights(run: ExportRunRecord) {
      src.loads++;
      const w = runs.find((x) => x.record.id === run.id)!.weights;
      // A fresh copy per load: the job transfers the buffers to its worker.
      const copy = (d: Record<string, RunWeights['encoder'][string]>) => Object.fromEntries(Object.entries(d).map(([k, v]) => [k, { ...v, dims: [...v.dims], data: v.data.slice() }]));
      return { ...w, encoder: copy(w.encoder), projector: copy(w.projector), predictor: copy(w.predictor) } as RunWeights;
    },
  };
  return src;
}
