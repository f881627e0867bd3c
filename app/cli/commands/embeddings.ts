// `voxelbase embeddings list [--run RUN]` and `voxelbase embeddings export (--model ID | --run RUN) --out DIR`:
// the models embeddings were made with, and one model's vectors as embeddings.npy + series.csv for Python.
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import type { EmbeddingModel } from '../../contract/types/embed.js';
import { NotFoundError } from '../../contract/errors.js';
import { exportEmbeddings } from '../../services/embed/index.js';
import { output, withServices } from '../context.js';
import { positiveInt } from '../option-parsers.js';


export function formatModels(models: EmbeddingModel[]): string {
  if (!models.length) return 'no embeddings yet (voxelbase embed ...)';
  return models
    .map((m) => `model ${m.id}  ${m.embeddings} series  ${m.dims} dims  box ${m.box.join('x')}  ${m.name}${m.runId ? ` (run ${m.runId}, step ${m.step})` : ''}`)
    .join('\n');
}

/** The model a --model / --run option names (a run's newest model). */
export function pickModel(models: EmbeddingModel[], o: { model?: number; run?: number }): EmbeddingModel {
  if ((o.model === undefined) === (o.run === undefined)) throw new InvalidArgumentError('give exactly one of --model ID or --run RUN');
  const m = o.model !== undefined ? models.find((x) => x.id === o.model) : models.find((x) => x.runId === o.run);
  if (!m) throw new NotFoundError(o.model !== undefined ? `no embedding model with id ${o.model}` : `run ${o.run} has no embeddings (voxelbase embed --run ${o.run} --all)`);
  return m;
}

export function registerEmbeddings(program: Command): void {
  const cmd = program.command('embeddings').description('list and export embeddings');
  cmd
    .command('list')
    .description('models embeddings were made with, newest first')
    .option('--run <id>', 'only this run', positiveInt('id'))
    .action(async (o: { run?: number }, c: Command) => {
      const models = await withServices(c, (api) => api.call('embed:models', { run: o.run }));
      output(c, models, formatModels);
    });
  cmd
    .command('export')
    .description('write embeddings.npy (float32, N x D) and series.csv (row, series id, series UID, source path)')
    .option('--model <id>', 'embedding model id (see embeddings list)', positiveInt('id'))
    .option('--run <id>', "the run's newest embedding model", positiveInt('id'))
    .requiredOption('--out <dir>', 'output folder (created)')
    .action(async (o: { model?: number; run?: number; out: string }, c: Command) => {
      const res = await withServices(c, async (api, services) => {
        const m = pickModel(await api.call('embed:models', {}), o);
        return exportEmbeddings(services.db, m.id, path.resolve(o.out));
      });
      output(c, res, (r) => `${r.rows} x ${r.dims} -> ${r.npy}\n${r.rows} rows -> ${r.csv}`);
    });
}
