// A job of the app's job manager for transport tests (events, jobs:* calls): an 'import'-kind job whose body is the
// test's, with an empty import detail and a stand-in run as its result. It imports nothing.
import type { JobManager, JobContext } from '../../app/services/jobs/job-manager.js';
import type { ImportProgressDetail, ImportRun, JobSnapshot } from '../../app/contract/types.js';
import type { JobKinds } from '../../app/contract/jobs.js';

const EMPTY: ImportProgressDetail = { run: 0, step: 'scan', filesScanned: 0, filesRead: 0, filesUnchanged: 0, seriesFound: 0, notImported: 0, bytesRead: 0 };

export const DEMO_RUN: ImportRun = {
  id: 0, state: 'done', roots: [], startedAt: '', endedAt: null, filesScanned: 0, filesImported: 0, filesUnchanged: 0,
  notImported: 0, filesMissing: 0, seriesTouched: 0, seriesFound: 0, seriesUsable: 0, message: null,
};

export function startDemoJob(jobs: JobManager, body: (ctx: JobContext<JobKinds, 'import'>) => Promise<void>): JobSnapshot<'import'> {
  return jobs.start('import', async (ctx) => {
    await body(ctx);
    return DEMO_RUN;
  }, { step: 'scan', detail: EMPTY });
}
