// jobs:* calls: every long-running job (import, preprocess, pretrain, embed, export ...) is listed, followed,
// cancelled, paused and resumed by id through these. Progress arrives as `job-progress` events (api.ts).
import { z } from 'zod';
import { call } from '../define.js';
import type { JobSnapshot } from '../jobs.js';

const jobId = z.object({ job: z.string().min(1).max(64) }).strict();

export const jobsCalls = {
  /** Live jobs first, then the most recent ended ones (re-attach after a reload). */
  'jobs:list': call<JobSnapshot[]>()(z.object({}).strict()),
  'jobs:get': call<JobSnapshot>()(jobId),
  /** Asks a job to stop: its state becomes 'cancelling', then 'cancelled' once it has wound down. */
  'jobs:cancel': call<JobSnapshot>()(jobId),
  /** Asks a pausable job to pause at its next pause point ('pausing', then 'paused'); NotSupportedError otherwise. */
  'jobs:pause': call<JobSnapshot>()(jobId),
  /** Resumes a paused (or pausing) job. */
  'jobs:resume': call<JobSnapshot>()(jobId),
} as const;
