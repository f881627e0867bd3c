// Composition of the service layer: opens the catalogue of a data folder, starts the job manager, the event bus and
// the shared resources (worker pools ...), and merges every domain's handlers into one `Handlers` object. A contract
// call with no handler here is a compile error (Handlers requires every service call). Background work that a
// domain needs at start-up (e.g. redoing what a killed import left half-done) is started here, explicitly, after the
// handlers are built, unless `startBackgroundWork: false` (tests that want a quiet catalogue).
//
// Adding a domain: export `xxxHandlers(ctx: ServiceContext): DomainHandlers<'xxx:a' | 'xxx:b'>` from
// app/services/xxx/handlers.ts (re-exported by its index.ts) and spread it into `handlers` below.
import { ensureDataDir } from '../platform/data-dir.js';
import { openCatalogue, type Db } from './catalogue/database.js';
import { createEventBus, type EventBus } from './events.js';
import { JobManager } from './jobs/job-manager.js';
import { SharedResources } from './resources.js';
import type { ServiceContext } from './context.js';
import type { Handlers } from './handlers.js';

export type { Handlers, AnyHandlers, HostHandlers, HostCallName, ServiceCallName } from './handlers.js';
export type { ServiceContext } from './context.js';
import { infoHandlers } from './info/index.js';
import { jobsHandlers } from './jobs/handlers.js';
import { importHandlers, importedRoots, recoverIfNeeded } from './import/index.js';
import { seriesHandlers } from './series/index.js';
import { dataHandlers } from './data/index.js';
import { embedHandlers } from './embed/index.js';
import { searchHandlers } from './search/index.js';
import { labelsHandlers } from './labels/index.js';
import { evalHandlers } from './evaluate/index.js';
import { cohortHandlers } from './cohorts/index.js';
import { exportHandlers } from './export/index.js';
import { runsHandlers } from './runs/index.js';
import { pretrainHandlers } from './pretrain/index.js';
import { fsHandlers } from './files/index.js';

export interface ServicesOptions {
  dataDir: string;
  /** Start the domains' start-up work (import recovery ...). Default true. */
  startBackgroundWork?: boolean;
}

export interface Services {
  readonly dataDir: string;
  readonly handlers: Handlers;
  readonly events: EventBus;
  readonly jobs: JobManager;
  readonly db: Db;
  readonly context: ServiceContext;
  /** Cancels running jobs and waits for them, closes the shared resources (worker pools), closes the database. Idempotent. */
  close(): Promise<void>;
}

export function createServices(options: ServicesOptions): Services {
  const dataDir = ensureDataDir(options.dataDir);
  const db = openCatalogue(dataDir);
  const events = createEventBus();
  const jobs = new JobManager({ db, emit: (p) => events.emit('job-progress', p) });
  const resources = new SharedResources();
  const context: ServiceContext = {
    dataDir,
    db,
    jobs,
    emit: (name, payload) => events.emit(name, payload),
    shared: (key, create, close) => resources.get(key, create, close),
  };

  const handlers: Handlers = {
    ...infoHandlers(context),
    ...jobsHandlers(context),
    ...importHandlers(context),
    ...seriesHandlers(context),
    ...dataHandlers(context),
    ...embedHandlers(context),
    ...searchHandlers(context),
    ...labelsHandlers(context),
    ...evalHandlers(context),
    ...cohortHandlers(context),
    ...exportHandlers(context),
    ...runsHandlers(context),
    ...pretrainHandlers(context),
    ...fsHandlers(context, { importedRoots: () => importedRoots(db) }),
  };

  if (options.startBackgroundWork ?? true) {
    // Redo half-finished work of imports killed earlier (never fatal to start-up).
    try {
      recoverIfNeeded(context);
    } catch (err) {
      console.error('import recovery could not start:', (err as Error).message);
    }
  }

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
        try {
          await jobs.close();
          await resources.close();
        } finally {
          db.close();
        }
      })();
      return closing;
    },
  };
}
