// `voxelbase search (SERIES_ID | FILE) (--model ID | --run RUN) [--k 10] [series list filters] [--json]`:
// the series most similar to a catalogued series (by id) or to a file (NIfTI, a DICOM file, a folder of DICOM
// files or a zipped DICOM series; embedded on the fly, not imported), by cosine similarity of one model's
// embeddings, among the series the filters keep.
import path from 'node:path';
import { Command } from 'commander';
import type { SearchResult } from '../../contract/types/search.js';
import { output, withServices } from '../context.js';
import { addSeriesFilterOptions, seriesFilterFrom } from '../series-filter-options.js';
import { pickModel } from './embeddings.js';
import { positiveInt } from '../option-parsers.js';


export function formatSearch(r: SearchResult): string {
  const q = r.query.series ? `series ${r.query.series.id} (${r.query.series.description || r.query.series.seriesUid})` : r.query.description;
  const head = `${r.hits.length} most similar to ${q} with model ${r.model.id} (${r.method} search over ${r.candidates} series, ${r.ms.toFixed(1)} ms)`;
  const lines = r.hits.map(
    (h) =>
      `${String(h.rank).padStart(3)}  ${h.score.toFixed(4)}  series ${String(h.series.id).padEnd(6)} ${(h.series.modality || h.series.kind).padEnd(6)} ${h.series.dims.join('x').padEnd(14)} ${h.series.description}`,
  );
  return [head, '  rank  score   series        modality dims           description', ...lines].join('\n');
}

export function registerSearch(program: Command): void {
  addSeriesFilterOptions(
    program
      .command('search')
      .description('series most similar to a series (id) or a volume file, by embedding; filters combine with the ranking')
      .argument('<query>', 'series id, or a file embedded on the fly: NIfTI (.nii, .nii.gz), a DICOM file, a folder of DICOM files or a zip of a DICOM series')
      .option('--model <id>', 'embedding model (voxelbase embeddings list)', positiveInt('model id'))
      .option('--run <id>', "the run's newest embedding model", positiveInt('run id'))
      .option('--k <n>', 'how many results (default 10, at most 1000)', positiveInt('count'), 10),
  ).action(async (query: string, o: Record<string, unknown>, cmd: Command) => {
    const res = await withServices(cmd, async (api) => {
      const model = pickModel(await api.call('embed:models', {}), { model: o.model as number | undefined, run: o.run as number | undefined });
      const q = /^\d+$/.test(query) ? { series: Number(query) } : { path: path.resolve(query) };
      return api.call('search:similar', { model: model.id, query: q, k: o.k as number, filter: seriesFilterFrom(o) });
    });
    output(cmd, res, formatSearch);
  });
}
