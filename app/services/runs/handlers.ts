// runs:* handlers: run records and their metrics, read from the catalogue.
import type { DomainHandlers } from '../handlers.js';
import type { ServiceContext } from '../context.js';
import { getRun, listRuns } from './records.js';
import { readMetrics } from './metrics.js';

export function runsHandlers(ctx: ServiceContext): DomainHandlers<'runs:list' | 'runs:get' | 'runs:metrics'> {
  return {
    'runs:list': () => listRuns(ctx.db),
    'runs:get': ({ run }) => getRun(ctx.db, run),
    'runs:metrics': ({ run, afterStep, maxPoints }) => {
      getRun(ctx.db, run); // NotFoundError for an unknown id
      return readMetrics(ctx.db, run, afterStep, maxPoints);
    },
  };
}
