// The result of a finished job that a panel follows (EmbedPanel, ExportPanel): progress events carry no result,
// so when the job the jobs store knows is done without one, its snapshot (jobs:get) is asked once and its result
// kept. Call from a component's script (it registers an effect there).
import type { JobKind, JobResult } from '../../../app/contract/jobs.js';
import { api } from './client.js';
import { messageOf } from './errors.js';
import type { JobView } from './jobs-model.js';

export interface FinishedResult<K extends JobKind> {
  /** The result while `job()` is done; null before, or while it is being fetched. */
  readonly value: JobResult<K> | null;
}

export function finishedResult<K extends JobKind>(
  kind: K,
  job: () => Extract<JobView, { kind: K }> | undefined,
  onError: (message: string) => void,
): FinishedResult<K> {
  let fetched = $state<{ job: string; result: JobResult<K> } | null>(null);
  $effect(() => {
    const j = job();
    if (!j || j.state !== 'done' || j.result || fetched?.job === j.job) return;
    api()
      .call('jobs:get', { job: j.job })
      .then(
        (snap) => {
          if (snap.kind === kind && snap.result) fetched = { job: j.job, result: snap.result as JobResult<K> };
        },
        (err: unknown) => onError(messageOf(err)),
      );
  });
  const value = $derived.by<JobResult<K> | null>(() => {
    const j = job();
    if (j?.state !== 'done') return null;
    return (j.result as JobResult<K> | undefined) ?? (fetched?.job === j.job ? fetched.result : null);
  });
  return {
    get value() {
      return value;
    },
  };
}
