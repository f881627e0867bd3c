// What every domain's handlers get: the data folder, the catalogue database, the job manager and the
// typed event emitter. Domains build their handlers from it (see index.ts).
import type { Db } from './catalogue/database.js';
import type { JobManager } from './jobs/job-manager.js';
import type { EventName, EventPayload } from '../contract/api.js';

export interface ServiceContext {
  readonly dataDir: string;
  readonly db: Db;
  readonly jobs: JobManager;
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
}
