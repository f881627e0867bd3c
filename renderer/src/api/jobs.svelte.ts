// Reactive jobs store: follows `job-progress` events and re-reads `jobs:list` on start and after every
// reconnect, so a reloaded page (or a dropped WebSocket) re-attaches to jobs still running on the server.
import type { JobProgress } from '../../../app/contract/types.js';
import { api } from './client.js';
import { messageOf } from './errors.js';
import { fromSnapshot, isActive, isFinished, mergeAnswer, mergeProgress, type JobMap, type JobView } from './jobs-model.js';
import type { Transport } from './transport.js';

export class JobsStore {
  jobs = $state<JobMap>({});
  /** Ids of jobs seen finishing in this session and not yet dismissed. */
  recent = $state<string[]>([]);
  error = $state<string | null>(null);
  readonly active: JobView[] = $derived(Object.values(this.jobs).filter((j) => isActive(j.state)));
  readonly finished: JobView[] = $derived(
    this.recent.map((id) => this.jobs[id]).filter((j): j is JobView => j !== undefined),
  );

  readonly #transport: Transport;
  #inFlight: JobProgress[] | null = null;
  /** Events seen while each control call is in flight (applied again on top of its answer). */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping, not state to render
  readonly #controlsInFlight = new Set<JobProgress[]>();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a listener registry, not state to render
  readonly #finishListeners = new Set<(job: JobView) => void>();

  constructor(transport: Transport) {
    this.#transport = transport;
    transport.on('job-progress', (progress) => this.#apply(progress));
    transport.onConnection((state) => {
      if (state === 'open') void this.refresh();
    });
    void this.refresh();
  }

  async refresh(): Promise<void> {
    const meanwhile: JobProgress[] = [];
    this.#inFlight = meanwhile;
    try {
      const list = await this.#transport.call('jobs:list', {});
      if (this.#inFlight === meanwhile) this.jobs = fromSnapshot(list, meanwhile);
      this.error = null;
    } catch (err) {
      this.error = messageOf(err);
    } finally {
      if (this.#inFlight === meanwhile) this.#inFlight = null;
    }
  }

  /** jobs:cancel, jobs:pause or jobs:resume; the answer is applied at once, under the events that overtook it. */
  async control(id: string, action: 'cancel' | 'pause' | 'resume'): Promise<void> {
    const meanwhile: JobProgress[] = [];
    this.#controlsInFlight.add(meanwhile);
    try {
      const snap = await this.#transport.call(`jobs:${action}`, { job: id });
      this.#inFlight?.push(snap);
      this.#set(snap.job, mergeAnswer(this.jobs, snap, meanwhile));
    } catch (err) {
      this.error = messageOf(err);
    } finally {
      this.#controlsInFlight.delete(meanwhile);
    }
  }

  cancel(id: string): Promise<void> {
    return this.control(id, 'cancel');
  }

  dismiss(id: string): void {
    this.recent = this.recent.filter((r) => r !== id);
  }

  /** Called whenever a job is seen reaching a final state (e.g. to refresh catalogue counts). */
  onFinish(listener: (job: JobView) => void): () => void {
    this.#finishListeners.add(listener);
    return () => this.#finishListeners.delete(listener);
  }

  #apply(progress: JobProgress): void {
    this.#inFlight?.push(progress);
    for (const seen of this.#controlsInFlight) seen.push(progress);
    this.#set(progress.job, mergeProgress(this.jobs, progress));
  }

  /** The new map, and the finish listeners when job `id` reaches a final state in it. */
  #set(id: string, jobs: JobMap): void {
    const before = this.jobs[id];
    this.jobs = jobs;
    const after = this.jobs[id];
    if (after && isFinished(after.state) && (!before || !isFinished(before.state))) {
      if (!this.recent.includes(after.job)) this.recent = [...this.recent, after.job].slice(-5);
      for (const listener of [...this.#finishListeners]) listener(after);
    }
  }
}

let shared: JobsStore | null = null;

export function jobsStore(): JobsStore {
  shared ??= new JobsStore(api());
  return shared;
}
