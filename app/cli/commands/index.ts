// Every CLI command, registered in this order. Add yours here (one file per command under commands/).
import type { Command } from 'commander';
import { registerInfo } from './info.js';
import { registerServe } from './serve.js';
import { registerImport } from './import.js';
import { registerBrowse } from './browse.js';
import { registerSeries } from './series.js';
import { registerVolume } from './volume.js';
import { registerPreprocess } from './preprocess.js';
import { registerAugmentPreview } from './augment-preview.js';
import { registerEmbed } from './embed.js';
import { registerEmbeddings } from './embeddings.js';
import { registerSearch } from './search.js';
import { registerLabels } from './labels.js';
import { registerEval } from './eval.js';
import { registerCohort } from './cohort.js';
import { registerExport } from './export.js';
import { registerPretrain } from './pretrain.js';
import { registerRuns } from './runs.js';

export const commands: ReadonlyArray<(program: Command) => void> = [
  registerInfo,
  registerServe,
  registerImport,
  registerBrowse,
  registerSeries,
  registerVolume,
  registerPreprocess,
  registerAugmentPreview,
  registerEmbed,
  registerEmbeddings,
  registerSearch,
  registerLabels,
  registerEval,
  registerCohort,
  registerExport,
  registerPretrain,
  registerRuns,
];
