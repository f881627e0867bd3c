// The app's layer rule (eslint.layers.js, `voxelbase/layers` in eslint.config.js) bites: deliberately bad imports,
// linted with ESLint's Node API as if they were files of the layer, are refused, and the allowed directions pass.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const eslint = new ESLint({ cwd: root, overrideConfigFile: join(root, 'eslint.config.js') });

async function layerErrors(file: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath: join(root, file) });
  const fatal = r.messages.filter((m) => m.fatal);
  if (fatal.length) throw new Error(fatal.map((m) => m.message).join('; '));
  return r.messages.filter((m) => m.ruleId === 'voxelbase/layers').map((m) => m.message);
}

describe('app layer rule (eslint.layers.js)', () => {
  it.each([
    ['app/contract/bad.ts', "import { Db } from '../services/catalogue/database.js';", /app\/contract imports nothing but app\/contract and zod/],
    ['app/contract/types/bad.ts', "import fs from 'node:fs';", /nothing but zod/],
    ['app/services/import/bad.ts', "import { startWebServer } from '../../transports/http/server.js';", /no transport, Electron, CLI/],
    ['app/services/series/deep/bad.ts', "import { buildProgram } from '../../../cli/program.js';", /no transport, Electron, CLI/],
    ['app/services/series/bad.ts', "import { app } from 'electron';", /imports no Electron/],
    ['app/services/series/bad.ts', "import { errorFromRow } from '../import/handlers.js';", /domain series uses import only through app\/services\/import\/index.ts/],
    ['app/services/imaging/dicom/bad.ts', "import { listSeries } from '../../series/list-series.js';", /domain imaging uses series only through/],
    ['app/services/export/bad.ts', "import { ByolTrainRunner } from '../../../native-models/graphs/train-runner.js';", /only through native-models\/index.ts/],
    ['app/transports/http/bad.ts', "import { packageInfo } from '../../services/info/version.js';", /reach services only through/],
    ['app/cli/commands/bad.ts', "import { listSeries } from '../../services/series/list-series.js';", /reach services only through/],
    ['renderer/src/sections/library/bad.ts', "import { listSeries } from '../../../../app/services/series/index.js';", /renderer imports only renderer\/ and app\/contract\//],
    ['renderer/src/api/bad.ts', "import fs from 'node:fs';", /no Node built-in/],
    ['renderer/src/api/bad.ts', "import Database from 'better-sqlite3';", /Node-only package/],
  ])('%s: %s is refused', async (file, code, message) => {
    const errors = await layerErrors(file, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
  });

  it.each([
    ['app/contract/ok.ts', "import { z } from 'zod';\nimport type { SeriesRow } from './types/series.js';"],
    ['app/services/series/ok.ts', "import { seriesFileErrors } from '../import/index.js';\nimport type { Db } from '../catalogue/database.js';\nimport { JobManager } from '../jobs/job-manager.js';\nimport { listSeries } from './list-series.js';"],
    ['app/services/imaging/dicom/ok.ts', "import { x } from '../assembly/affine.js';"],
    ['app/services/index.ts', "import { jobsHandlers } from './jobs/handlers.js';"],
    ['app/services/info/ok.ts', "const m = await import('../../../native-models/index.js');"],
    ['app/transports/http/ok.ts', "import type { Services } from '../../services/index.js';\nimport { packageInfo } from '../../services/info/index.js';"],
    ['app/workers/ok.ts', "import { parseFile } from '../services/import/parse-file.js';"],
    ['renderer/src/api/ok.ts', "import type { Api } from '../../../app/contract/api.js';\nimport { fraction } from './jobs-model.js';\nimport uPlot from 'uplot';"],
  ])('%s: allowed imports pass', async (file, code) => {
    expect(await layerErrors(file, code)).toEqual([]);
  });
});
