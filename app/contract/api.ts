// The one contract: every call (`domain:verb` -> zod args schema, result type) and every push event. Electron main,
// preload, renderer, the web transport, the CLI and the tests derive their types from here.
// Each domain declares its calls in calls/<domain>.ts and its data types in types/<domain>.ts; add one line below.
import { appCalls } from './calls/app.js';
import { jobsCalls } from './calls/jobs.js';
import { dialogCalls } from './calls/dialog.js';
import { importCalls } from './calls/import.js';
import { seriesCalls } from './calls/series.js';
import { dataCalls } from './calls/data.js';
import { embedCalls } from './calls/embed.js';
import { searchCalls } from './calls/search.js';
import { labelsCalls } from './calls/labels.js';
import { cohortCalls } from './calls/cohort.js';
import { exportCalls } from './calls/export.js';
import { runsCalls } from './calls/runs.js';
import { pretrainCalls } from './calls/pretrain.js';
import { fsCalls } from './calls/fs.js';
import { event } from './define.js';
import type { JobProgress } from './jobs.js';
import type { z } from 'zod';

export const calls = {
  ...appCalls,
  ...jobsCalls,
  ...dialogCalls,
  ...importCalls,
  ...seriesCalls,
  ...dataCalls,
  ...embedCalls,
  ...searchCalls,
  ...labelsCalls,
  ...cohortCalls,
  ...exportCalls,
  ...runsCalls,
  ...pretrainCalls,
  ...fsCalls,
} as const;

export const events = {
  /** Every job's progress, state changes included. */
  'job-progress': event<JobProgress>(),
  /** The desktop menu's File > Import folder… picked these folders; the renderer starts the import. */
  'import-folders-chosen': event<{ paths: string[] }>(),
} as const;

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type CallArgs<N extends CallName> = z.input<Calls[N]['args']>;
export type ParsedArgs<N extends CallName> = z.output<Calls[N]['args']>;
export type CallResult<N extends CallName> = Calls[N]['result'];

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = Events[E]['payload'];

/** What every transport gives a client: one typed `call`, one typed `on`. */
export interface Api {
  call<N extends CallName>(name: N, args: CallArgs<N>): Promise<CallResult<N>>;
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.hasOwn(calls, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}
