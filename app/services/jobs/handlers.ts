// jobs:* calls: list (re-attach after a reload), get, cancel, pause, resume.
import type { DomainHandlers } from '../handlers.js';
import type { ServiceContext } from '../context.js';

export function jobsHandlers(
  ctx: ServiceContext,
): DomainHandlers<'jobs:list' | 'jobs:get' | 'jobs:cancel' | 'jobs:pause' | 'jobs:resume'> {
  return {
    'jobs:list': () => ctx.jobs.list(),
    'jobs:get': ({ job }) => ctx.jobs.get(job),
    'jobs:cancel': ({ job }) => ctx.jobs.cancel(job),
    'jobs:pause': ({ job }) => ctx.jobs.pause(job),
    'jobs:resume': ({ job }) => ctx.jobs.resume(job),
  };
}
