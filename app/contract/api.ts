// The one contract: every call (`domain:verb` -> args schema, result type) and every push event.
// Electron main, preload, renderer, the web transport, the CLI and the tests derive their types from here.
// Each domain keeps its own block; add calls to your domain's block only.
import { z } from 'zod';
import { call, event } from './define.js';
import type {
  InfoResult,
  JobSnapshot,
  JobProgress,
} from './types.js';

export const calls = {
  // ---- app ---------------------------------------------------------------------------------
  'app:info': call<InfoResult>()(z.object({}).strict()),

  // ---- jobs --------------------------------------------------------------------------------
  'jobs:list': call<JobSnapshot[]>()(z.object({}).strict()),
  'jobs:get': call<JobSnapshot>()(z.object({ job: z.string().min(1).max(64) }).strict()),
  'jobs:cancel': call<JobSnapshot>()(z.object({ job: z.string().min(1).max(64) }).strict()),
} as const;

export const events = {
  /** Every job's progress, state changes included. */
  'job-progress': event<JobProgress>(),
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
