// `voxelbase eval (--model ID | --run RUN) --label KEY [--no-baseline] [--seed N] [--json]`: kNN accuracy
// (k = 1, 5, 20), recall@k (1, 5, 10) and mAP of a model's embeddings against a label, beside a randomly
// initialised encoder of the same architecture with BN statistics re-estimated on the same series.
import { Command } from 'commander';
import type { EvalResult, RetrievalFigures } from '../../contract/types/labels.js';
import { output, withServices } from '../context.js';
import { pickModel } from './embeddings.js';
import { positiveInt } from '../option-parsers.js';


const row = (name: string, f: RetrievalFigures) =>
  `${name.padEnd(10)} ${[f.knn[1], f.knn[5], f.knn[20], f.recall[1], f.recall[5], f.recall[10], f.mAP].map((v) => v.toFixed(3).padStart(7)).join(' ')}`;

export function formatEval(r: EvalResult): string {
  const lines = [
    `model ${r.model.id} (${r.model.name}) against label "${r.label}": ${r.figures.queries} series, ${r.figures.classes} classes${r.missing ? `, ${r.missing} labelled series without an embedding left out` : ''}`,
    `${''.padEnd(10)} ${['kNN@1', 'kNN@5', 'kNN@20', 'R@1', 'R@5', 'R@10', 'mAP'].map((h) => h.padStart(7)).join(' ')}`,
    row('model', r.figures),
  ];
  if (r.baseline) lines.push(row('baseline', r.baseline.figures), `baseline: ${r.baseline.note} (model ${r.baseline.model.id})`);
  return lines.join('\n');
}

export function registerEval(program: Command): void {
  program
    .command('eval')
    .description("retrieval quality of a model's embeddings against a label (kNN accuracy, recall@k, mAP), beside a random-encoder baseline")
    .option('--model <id>', 'embedding model (voxelbase embeddings list)', positiveInt('id'))
    .option('--run <id>', "the run's newest embedding model", positiveInt('id'))
    .requiredOption('--label <key>', 'label key (voxelbase labels list)')
    .option('--no-baseline', 'skip the random-encoder baseline')
    .option('--seed <n>', 'seed of the baseline encoder', (v) => Number(v), 0)
    .action(async (o: { model?: number; run?: number; label: string; baseline: boolean; seed: number }, cmd: Command) => {
      const r = await withServices(cmd, async (api) => {
        const m = pickModel(await api.call('embed:models', {}), o);
        return api.call('eval:run', { model: m.id, label: o.label, baseline: o.baseline, seed: o.seed });
      });
      output(cmd, r, formatEval);
    });
}
