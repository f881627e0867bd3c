// export:* handlers: start an export job, and the exports kept in the data folder (get, list, delete).
import type { ServiceContext } from '../context.js';
import type { DomainHandlers } from '../handlers.js';
import { startExport } from './export-job.js';
import { deleteExport, getExport, listExports } from './export-records.js';
import { type RunSource, runsModuleSource } from './run-source.js';

export function exportHandlers(ctx: ServiceContext, runs: RunSource = runsModuleSource(ctx)): DomainHandlers<'export:start' | 'export:get' | 'export:list' | 'export:delete'> {
  return {
    'export:start': (a) => startExport(ctx, runs, a),
    'export:get': ({ id }) => getExport(ctx.dataDir, id),
    'export:list': () => listExports(ctx.dataDir),
    'export:delete': ({ id }) => deleteExport(ctx.dataDir, id),
  };
}
