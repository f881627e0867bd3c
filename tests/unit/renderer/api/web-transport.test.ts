// The renderer's web-mode transport (renderer/src/api/web-transport.ts) against a fake fetch and a fake
// WebSocket: call envelopes, rebuilt named errors, 401 handling, event dispatch, reconnect with backoff.
import { describe, expect, it } from 'vitest';
import {
  defaultBackoff,
  eventsUrl,
  WebTransport,
  type SocketLike,
} from '../../../../renderer/src/api/web-transport.js';
import type { ConnectionState } from '../../../../renderer/src/api/transport.js';

class FakeSocket implements SocketLike {
  onopen: ((ev: unknown) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {}
  close() {
    this.closed = true;
  }
}

function harness(reply: (url: string, init: RequestInit) => Response | Promise<Response>) {
  const sockets: FakeSocket[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const requests: { url: string; init: RequestInit }[] = [];
  const transport = new WebTransport({
    baseUrl: 'http://127.0.0.1:4000',
    fetch: (async (url: string, init: RequestInit) => {
      requests.push({ url, init });
      return reply(url, init);
    }) as unknown as typeof fetch,
    openSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    backoff: (attempt) => 100 * (attempt + 1),
    setTimer: (fn, ms) => timers.push({ fn, ms }),
    clearTimer: () => undefined,
  });
  return { transport, sockets, timers, requests };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('WebTransport.call', () => {
  it('posts the arguments as JSON to /api/call/<name> and returns the result', async () => {
    const { transport, requests } = harness(() => json(200, { ok: true, result: [{ job: 'x' }] }));
    await expect(transport.call('jobs:list', {})).resolves.toEqual([{ job: 'x' }]);
    expect(requests[0]?.url).toBe('http://127.0.0.1:4000/api/call/jobs:list');
    expect(requests[0]?.init.method).toBe('POST');
    expect(requests[0]?.init.body).toBe('{}');
    expect((requests[0]?.init.headers as Record<string, string>)['content-type']).toBe('application/json');
  });

  it('rebuilds a service error with its name, message and extras', async () => {
    const { transport } = harness(() =>
      json(404, { ok: false, error: { name: 'NotFoundError', message: 'no job j9', job: 'j9' } }),
    );
    const err = await transport.call('jobs:get', { job: 'j9' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toBe('NotFoundError');
    expect((err as Error).message).toBe('no job j9');
    expect((err as unknown as { job: string }).job).toBe('j9');
  });

  it('explains a refused session (no token) instead of failing on the body', async () => {
    const { transport } = harness(() => new Response('Unauthorized', { status: 401 }));
    const err = (await transport.call('app:info', {}).catch((e: unknown) => e)) as Error;
    expect(err.name).toBe('UnauthorizedError');
    expect(err.message).toMatch(/voxelbase serve/);
  });

  it('turns a network failure into a ConnectionError naming the call', async () => {
    const { transport } = harness(() => {
      throw new TypeError('Failed to fetch');
    });
    const err = (await transport.call('app:info', {}).catch((e: unknown) => e)) as Error;
    expect(err.name).toBe('ConnectionError');
    expect(err.message).toMatch(/^app:info: .*Failed to fetch/);
  });

  it('refuses a string that is not a call name before sending anything', async () => {
    const { transport, requests } = harness(() => json(200, { ok: true, result: null }));
    // @ts-expect-error -- deliberately not a contract call name
    await expect(transport.call('../etc/passwd', {})).rejects.toThrow(/Not a call name/);
    expect(requests).toHaveLength(0);
  });
});

describe('WebTransport events', () => {
  it('opens the event socket on the same host and dispatches {event, payload} to listeners', () => {
    const { transport, sockets } = harness(() => json(200, { ok: true, result: null }));
    expect(sockets).toHaveLength(1);
    expect(sockets[0]?.url).toBe('ws://127.0.0.1:4000/api/events');
    const seen: unknown[] = [];
    const off = transport.on('job-progress', (p) => seen.push(p));
    const payload = { job: 'a', kind: 'import', state: 'running', step: 'scan', current: 1, total: 2 };
    sockets[0]?.onmessage?.({ data: JSON.stringify({ event: 'job-progress', payload }) });
    sockets[0]?.onmessage?.({ data: 'not json' });
    sockets[0]?.onmessage?.({ data: JSON.stringify({ event: 'other-event', payload: 1 }) });
    off();
    sockets[0]?.onmessage?.({ data: JSON.stringify({ event: 'job-progress', payload }) });
    expect(seen).toEqual([payload]);
  });

  it('reports its state and reconnects with growing delays after the socket drops', () => {
    const { transport, sockets, timers } = harness(() => json(200, { ok: true, result: null }));
    const states: ConnectionState[] = [];
    transport.onConnection((s) => states.push(s));
    expect(transport.connection).toBe('connecting');
    sockets[0]?.onopen?.({});
    expect(transport.connection).toBe('open');

    sockets[0]?.onclose?.({});
    expect(transport.connection).toBe('closed');
    expect(timers.map((t) => t.ms)).toEqual([100]);
    timers[0]?.fn();
    expect(sockets).toHaveLength(2);
    sockets[1]?.onclose?.({}); // failed attempt: the next delay grows
    expect(timers.map((t) => t.ms)).toEqual([100, 200]);
    timers[1]?.fn();
    sockets[2]?.onopen?.({}); // success resets the backoff
    sockets[2]?.onclose?.({});
    expect(timers.map((t) => t.ms)).toEqual([100, 200, 100]);
    expect(states).toEqual(['open', 'closed', 'connecting', 'closed', 'connecting', 'open', 'closed']);

    transport.close();
    expect(transport.connection).toBe('closed');
  });

  it('stops reconnecting once closed', () => {
    const { transport, sockets, timers } = harness(() => json(200, { ok: true, result: null }));
    transport.close();
    expect(sockets[0]?.closed).toBe(true);
    sockets[0]?.onclose?.({});
    expect(timers).toHaveLength(0);
  });
});

describe('helpers', () => {
  it('derives ws:// and wss:// event URLs from the page origin', () => {
    expect(eventsUrl('http://127.0.0.1:4000')).toBe('ws://127.0.0.1:4000/api/events');
    expect(eventsUrl('https://lab.example/voxelbase/')).toBe('wss://lab.example/voxelbase/api/events');
  });

  it('keeps the backoff within [250 ms, 15 s] and growing with the attempt', () => {
    expect(defaultBackoff(0, () => 0)).toBe(250);
    expect(defaultBackoff(0, () => 1)).toBe(500);
    expect(defaultBackoff(3, () => 1)).toBe(4000);
    expect(defaultBackoff(50, () => 1)).toBe(15_000);
  });
});
