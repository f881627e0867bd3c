// eval:* calls.
import type { DomainHandlers } from '../handlers.js';
import type { ServiceContext } from '../context.js';
import { evalResults, runEval } from './run-eval.js';

export function evalHandlers(ctx: ServiceContext): DomainHandlers<'eval:run' | 'eval:results'> {
  return {
    'eval:run': (args) => runEval(ctx, args),
    'eval:results': ({ model }) => evalResults(ctx.dataDir, model),
  };
}
