// evaluationFigures: the card reports the newest evaluation per label of this run at this checkpoint (not other
// runs, steps or random models), every kNN / recall / mAP figure beside the baseline's, and no label name that is
// not a short word.
import { describe, expect, it } from 'vitest';
import { evaluationFigures } from '../../../../../app/services/export/evaluation-figures.js';
import type { EvalResult, EmbeddingModel, RetrievalFigures } from '../../../../../app/contract/types.js';

const model = (o: Partial<EmbeddingModel>): EmbeddingModel => ({
  id: 1, key: 'k', name: 'm', source: 'run', runId: 3, step: 600, seed: null, architecture: 'resnet10', box: [64, 64, 64],
  settings: { spacing: [2, 2, 2], antiAlias: true, intensity: 'auto', ctWindow: [-1000, 1000], percentiles: [0.5, 99.5], volume: 0 },
  settingsKey: 's', dims: 512, bn: 'trained', createdAt: '2025-01-01T00:00:00Z', embeddings: 10, ...o,
});
const figs = (x: number): RetrievalFigures => ({ queries: 40, withRelevant: 40, classes: 4, knn: { '1': x, '5': x - 0.01, '20': x - 0.02 }, recall: { '1': x, '5': x + 0.1, '10': x + 0.15 }, mAP: x / 2 });
const result = (o: Partial<EvalResult> & { m?: Partial<EmbeddingModel> }): EvalResult => ({
  model: model(o.m ?? {}), label: 'region', figures: figs(0.75), missing: 0, at: '2025-01-02T00:00:00Z',
  baseline: { model: model({ source: 'random', runId: null, step: null }), figures: figs(0.6), bnStatistics: 're-estimated', note: '' }, ...o,
});

describe('evaluationFigures', () => {
  it('reports this run and step only, the newest per label, beside the baseline', () => {
    const out = evaluationFigures(
      [
        result({ at: '2025-01-01T00:00:00Z', figures: figs(0.5) }), // older, same label
        result({}),
        result({ m: { step: 300 } }),
        result({ m: { runId: 4 } }),
        result({ m: { source: 'random', runId: null, step: null } }),
        result({ label: 'BodyPartExamined', figures: figs(0.9), baseline: null }),
      ],
      3,
      600,
    );
    expect(out.map((f) => [f.label, f.metric, +f.value.toFixed(3), f.baseline === undefined ? null : +f.baseline.toFixed(3)])).toEqual([
      ['BodyPartExamined', 'kNN accuracy@1', 0.9, null],
      ['BodyPartExamined', 'kNN accuracy@5', 0.89, null],
      ['BodyPartExamined', 'kNN accuracy@20', 0.88, null],
      ['BodyPartExamined', 'recall@1', 0.9, null],
      ['BodyPartExamined', 'recall@5', 1, null],
      ['BodyPartExamined', 'recall@10', 1.05, null],
      ['BodyPartExamined', 'mAP', 0.45, null],
      ['region', 'kNN accuracy@1', 0.75, 0.6],
      ['region', 'kNN accuracy@5', 0.74, 0.59],
      ['region', 'kNN accuracy@20', 0.73, 0.58],
      ['region', 'recall@1', 0.75, 0.6],
      ['region', 'recall@5', 0.85, 0.7],
      ['region', 'recall@10', 0.9, 0.75],
      ['region', 'mAP', 0.375, 0.3],
    ]);
    expect(out[7].detail).toMatch(/40 labelled series, 4 classes; box 64x64x64; baseline: random encoder, BN statistics re-estimated/);
  });

  it('drops a label name that is not a short word, keeps its figures', () => {
    const out = evaluationFigures([result({ label: '/home/lab/labels.csv:diagnosis' })], 3, 600);
    expect(out).toHaveLength(7);
    expect(out.every((f) => f.label === undefined)).toBe(true);
  });
});
