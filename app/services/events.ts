// A typed emitter over the contract's push events. Services emit; transports subscribe (one listener per
// event name, or `onAny` for forwarding everything to a window or a WebSocket).
import { events as contractEvents, type EventName, type EventPayload } from '../contract/api.js';

export type Listener<E extends EventName> = (payload: EventPayload<E>) => void;
export type AnyListener = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

export interface EventBus {
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
  on<E extends EventName>(name: E, listener: Listener<E>): () => void;
  onAny(listener: AnyListener): () => void;
}

export const eventNames = Object.keys(contractEvents) as EventName[];

export function createEventBus(onListenerError: (err: unknown) => void = defaultErrorReport): EventBus {
  const byName = new Map<EventName, Set<(p: unknown) => void>>();
  const any = new Set<AnyListener>();
  return {
    emit(name, payload) {
      for (const l of byName.get(name) ?? []) safely(() => l(payload));
      for (const l of any) safely(() => l(name, payload));
    },
    on(name, listener) {
      let set = byName.get(name);
      if (!set) byName.set(name, (set = new Set()));
      const l = listener as (p: unknown) => void;
      set.add(l);
      return () => set.delete(l);
    },
    onAny(listener) {
      any.add(listener);
      return () => any.delete(listener);
    },
  };
  function safely(f: () => void) {
    try {
      f();
    } catch (err) {
      onListenerError(err);
    }
  }
}

function defaultErrorReport(err: unknown) {
  console.error('event listener failed:', err);
}
