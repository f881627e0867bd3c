// Web-mode transport: calls go as `POST /api/call/<name>` with the arguments as the JSON body and come back as
// `{ok: true, result}` or `{ok: false, error: {name, message, ...}}`; push events arrive on the WebSocket
// `/api/events` as `{event, payload}`. The session token travels as the HttpOnly cookie the server set when the
// token URL was opened, so nothing here handles it. The socket reconnects with capped exponential backoff
// plus jitter (the usual "full jitter" scheme, AWS Architecture Blog, "Exponential Backoff And Jitter", 2015).
/// <reference lib="dom" />
import type { CallArgs, CallName, CallResult, EventName, EventPayload } from '../../../app/contract/api.js';
import { isSerializedError, messageOf, toError, transportError } from './errors.js';
import type { ConnectionState, Transport } from './transport.js';

type AnyListener = (payload: unknown) => void;

/** The parts of the DOM's WebSocket this transport uses (so tests can pass a fake). */
export interface SocketLike {
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  close(): void;
}

export interface WebTransportOptions {
  /** Origin + path prefix of the server, e.g. `http://127.0.0.1:4000`. Default: the page's origin. */
  baseUrl?: string;
  fetch?: typeof fetch;
  openSocket?: (url: string) => SocketLike;
  /** Delay before reconnect attempt `attempt` (0-based), in ms. */
  backoff?: (attempt: number) => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

const CALL_NAME = /^[a-z][a-z0-9-]*:[a-z][a-z0-9-]*$/i;

/** Full-jitter backoff: uniform in [base/2, min(cap, base * 2^attempt)]. */
export function defaultBackoff(attempt: number, random: () => number = Math.random): number {
  const base = 500;
  const cap = 15_000;
  const ceiling = Math.min(cap, base * 2 ** Math.min(attempt, 10));
  return Math.round(base / 2 + random() * (ceiling - base / 2));
}

export function eventsUrl(baseUrl: string): string {
  const url = new URL('api/events', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.hash = '';
  url.search = '';
  return url.toString();
}

export class WebTransport implements Transport {
  readonly kind = 'web' as const;
  #connection: ConnectionState = 'connecting';
  readonly #base: string;
  readonly #fetch: typeof fetch;
  readonly #openSocket: (url: string) => SocketLike;
  readonly #backoff: (attempt: number) => number;
  readonly #setTimer: (fn: () => void, ms: number) => unknown;
  readonly #clearTimer: (handle: unknown) => void;
  readonly #listeners = new Map<string, Set<AnyListener>>();
  readonly #connectionListeners = new Set<(state: ConnectionState) => void>();
  #socket: SocketLike | null = null;
  #attempt = 0;
  #timer: unknown = null;
  #closed = false;

  constructor(options: WebTransportOptions = {}) {
    const origin = options.baseUrl ?? globalThis.location.origin;
    this.#base = origin.endsWith('/') ? origin : `${origin}/`;
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.#openSocket = options.openSocket ?? ((url) => new WebSocket(url) as unknown as SocketLike);
    this.#backoff = options.backoff ?? ((attempt) => defaultBackoff(attempt));
    this.#setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.#clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
    this.#connect();
  }

  get connection(): ConnectionState {
    return this.#connection;
  }

  async call<N extends CallName>(name: N, args: CallArgs<N>): Promise<CallResult<N>> {
    if (!CALL_NAME.test(name)) throw transportError('ValidationError', `Not a call name: ${JSON.stringify(name)}`);
    let response: Response;
    try {
      response = await this.#fetch(new URL(`api/call/${name}`, this.#base).toString(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        credentials: 'same-origin',
        body: JSON.stringify(args ?? {}),
      });
    } catch (err) {
      throw transportError(
        'ConnectionError',
        `${name}: could not reach the Voxelbase server (${messageOf(err)})`,
      );
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    if (isEnvelope(body)) {
      if (body.ok) return body.result as CallResult<N>;
      throw toError(isSerializedError(body.error) ? body.error : { name: 'Error', message: String(body.error) });
    }
    if (response.status === 401 || response.status === 403) {
      throw transportError(
        'UnauthorizedError',
        `${name}: the server refused this session (HTTP ${response.status}); open the URL that \`voxelbase serve\` printed, with its token`,
      );
    }
    throw transportError('ConnectionError', `${name}: unexpected reply from the server (HTTP ${response.status})`);
  }

  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
    let set = this.#listeners.get(name);
    if (!set) {
      set = new Set();
      this.#listeners.set(name, set);
    }
    const l = listener as AnyListener;
    set.add(l);
    return () => {
      set.delete(l);
    };
  }

  onConnection(listener: (state: ConnectionState) => void): () => void {
    this.#connectionListeners.add(listener);
    return () => {
      this.#connectionListeners.delete(listener);
    };
  }

  /** Stops reconnecting and closes the socket (tests, page teardown). */
  close(): void {
    this.#closed = true;
    if (this.#timer !== null) this.#clearTimer(this.#timer);
    this.#timer = null;
    const socket = this.#socket;
    this.#socket = null;
    socket?.close();
    this.#setConnection('closed');
  }

  #connect(): void {
    if (this.#closed) return;
    this.#setConnection('connecting');
    let socket: SocketLike;
    try {
      socket = this.#openSocket(eventsUrl(this.#base));
    } catch {
      this.#scheduleReconnect();
      return;
    }
    this.#socket = socket;
    socket.onopen = () => {
      if (this.#socket !== socket) return;
      this.#attempt = 0;
      this.#setConnection('open');
    };
    socket.onmessage = (ev) => {
      if (this.#socket !== socket) return;
      this.#dispatch(ev.data);
    };
    socket.onerror = () => {
      // A close event always follows; reconnecting is handled there.
    };
    socket.onclose = () => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      this.#scheduleReconnect();
    };
  }

  #scheduleReconnect(): void {
    if (this.#closed) return;
    this.#setConnection('closed');
    const delay = this.#backoff(this.#attempt++);
    this.#timer = this.#setTimer(() => {
      this.#timer = null;
      this.#connect();
    }, delay);
  }

  #dispatch(data: unknown): void {
    if (typeof data !== 'string') return;
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    const { event, payload } = message as { event?: unknown; payload?: unknown };
    if (typeof event !== 'string') return;
    for (const listener of [...(this.#listeners.get(event) ?? [])]) {
      try {
        listener(payload);
      } catch (err) {
        console.error(`voxelbase: listener for ${event} threw`, err);
      }
    }
  }

  #setConnection(state: ConnectionState): void {
    if (state === this.#connection) return;
    this.#connection = state;
    for (const listener of [...this.#connectionListeners]) listener(state);
  }
}

interface Envelope {
  ok: boolean;
  result?: unknown;
  error?: unknown;
}

function isEnvelope(body: unknown): body is Envelope {
  return typeof body === 'object' && body !== null && typeof (body as Envelope).ok === 'boolean';
}
