// Client side of web mode, usable in the browser (the renderer) and in Node tests: `call` posts to
// /api/call/:name and rebuilds errors as named Errors; `on` listens on one shared WebSocket to
// /api/events (reconnecting with back-off). In the browser the token travels in the cookie set by the
// first page load; Node clients pass it explicitly. No Node imports: keep this file browser-safe.
import type { Api, CallName, EventName } from '../../contract/api.js';
import type { CallEnvelope, EventEnvelope } from '../../contract/wire.js';
import { deserializeError } from '../../contract/errors.js';

interface MinimalSocket {
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onopen: ((ev: unknown) => void) | null;
  close(): void;
}

export interface HttpApiOptions {
  /** e.g. 'http://127.0.0.1:4321'; default: the page's origin. */
  baseUrl?: string;
  /** Sent as a Bearer header (Node); browsers rely on the HttpOnly cookie instead. */
  token?: string;
  fetch?: typeof fetch;
  /** WebSocket constructor (browser global by default; `ws` in Node). */
  WebSocket?: new (url: string, options?: unknown) => MinimalSocket;
  /** Called when the event socket connects (again): clients re-read job state (jobs:list) to re-attach. */
  onConnect?: () => void;
}

export interface HttpApi extends Api {
  close(): void;
}

export function createHttpApi(options: HttpApiOptions = {}): HttpApi {
  const base = (options.baseUrl ?? (globalThis as { location?: { origin: string } }).location?.origin ?? '').replace(/\/$/, '');
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  let socket: MinimalSocket | undefined;
  let closed = false;
  let retry = 250;

  function connect() {
    if (closed || socket) return;
    const WS = options.WebSocket ?? (globalThis as unknown as { WebSocket: HttpApiOptions['WebSocket'] }).WebSocket;
    if (!WS) throw new Error('no WebSocket implementation available for web-mode events');
    const wsUrl = base.replace(/^http/, 'ws') + '/api/events';
    const s = options.token
      ? new WS(wsUrl, { headers: { Authorization: `Bearer ${options.token}` } })
      : new WS(wsUrl);
    socket = s;
    s.onopen = () => {
      retry = 250;
      options.onConnect?.();
    };
    s.onmessage = (ev) => {
      let msg: EventEnvelope;
      try {
        msg = JSON.parse(String(ev.data)) as EventEnvelope;
      } catch {
        return;
      }
      for (const l of listeners.get(msg.event) ?? []) l(msg.payload);
    };
    s.onerror = () => undefined;
    s.onclose = () => {
      socket = undefined;
      if (!closed && listeners.size > 0) {
        setTimeout(connect, retry);
        retry = Math.min(retry * 2, 5000);
      }
    };
  }

  return {
    async call<N extends CallName>(name: N, args: unknown) {
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      if (options.token) headers.Authorization = `Bearer ${options.token}`;
      const res = await doFetch(`${base}/api/call/${encodeURIComponent(name)}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(args ?? {}),
        credentials: 'same-origin',
      });
      let env: CallEnvelope;
      try {
        env = (await res.json()) as CallEnvelope;
      } catch {
        throw deserializeError({ name: 'TransportError', message: `${name}: HTTP ${res.status} without a JSON body` });
      }
      if (env.ok) return env.result as never;
      throw deserializeError(env.error);
    },
    on<E extends EventName>(name: E, listener: (payload: never) => void) {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      const l = listener as (p: unknown) => void;
      set.add(l);
      connect();
      return () => {
        set.delete(l);
      };
    },
    close() {
      closed = true;
      socket?.close();
    },
  } as HttpApi;
}
