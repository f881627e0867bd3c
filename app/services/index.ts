// Composition of the service layer: opens the catalogue of a data folder, starts the job manager and
// the event bus, and merges every domain's handlers into one `Handlers` object. A contract call with no
// handler here is a compile error (Handlers requires every service call).
//
// Adding a domain: export `xxxHandlers(ctx: ServiceContext): DomainHandlers<'xxx:a' | 'xxx:b'>` from
// app/services/xxx/handlers.ts and spread it into `handlers` below.
import { ensureDataDir } from '../platform/data-dir.js';
import { openCatalogue, type Db } from './catalogue/database.js';
import { createEventBus, type EventBus } from './events.js';
import { JobManager } from './jobs/job-manager.js';
import type { ServiceContext } from './context.js';
import type { Handlers } from './handlers.js';
import { infoHandlers } from './info/handlers.js';
import { jobsHandlers } from './jobs/handlers.js';
import { importHandlers } from './import/handlers.js';
import { seriesHandlers } from './series/handlers.js';
import { dataHandlers } from './preprocess/handlers.js';

export interface ServicesOptions {
  dataDir: string;
}

export interface Services {
  readonly dataDir: string;
  readonly handlers: Handlers;
  readonly events: EventBus;
  readonly jobs: JobManager;
  readonly db: Db;
  readonly context: ServiceContext;
  /** Cancels running jobs, waits for them, closes the database. Idempotent. */
  close(): Promise<void>;
}

export function createServices(options: ServicesOptions): Services {
  const dataDir = ensureDataDir(options.dataDir);
  const db = openCatalogue(dataDir);
  const events = createEventBus();
  const jobs = new JobManager({ db, emit: (p) => events.emit('job-progress', p) });
  const context: ServiceContext = { dataDir, db, jobs, emit: (name, payload) => events.emit(name, payload) };

  const handlers: Handlers = {
    ...infoHandlers(context),
    ...jobsHandlers(context),
    ...importHandlers(context),
    ...seriesHandlers(context),
    ...dataHandlers(context),
  };

  let closing: Promise<void> | undefined;
  return {
    dataDir,
    handlers,
    events,
    jobs,
    db,
    context,
    close() {
      closing ??= (async () => {
        await jobs.close();
        db.close();
      })();
      return closing;
    },
  };
}
