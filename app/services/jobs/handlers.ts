// jobs:* calls: list (re-attach after a reload), get, cancel.
import type { DomainHandlers } from '../handlers.js';
import type { ServiceContext } from '../context.js';

export function jobsHandlers(ctx: ServiceContext): DomainHandlers<'jobs:list' | 'jobs:get' | 'jobs:cancel'> {
  return {
    'jobs:list': () => ctx.jobs.list(),
    'jobs:get': ({ job }) => ctx.jobs.get(job),
    'jobs:cancel': ({ job }) => ctx.jobs.cancel(job),
  };
}
