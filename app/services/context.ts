// What every domain's handlers get: the data folder, the catalogue database, the job manager, the typed event
// emitter, and `shared()`: long-lived resources (worker pools, indexes) owned by the service context, created on
// first use and closed with it (Services.close), so no caller ever closes a domain's pool by hand.
import type { Db } from './catalogue/database.js';
import type { JobManager } from './jobs/job-manager.js';
import type { EventName, EventPayload } from '../contract/api.js';

export interface ServiceContext {
  readonly dataDir: string;
  readonly db: Db;
  readonly jobs: JobManager;
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
  /**
   * The context's one instance of a resource: made by `create` on first use, closed by `close` (in reverse order of
   * creation) when the services close. `key` names it (e.g. 'import:worker-pool').
   */
  shared<T>(key: string, create: () => T, close: (value: T) => Promise<void> | void): T;
}
