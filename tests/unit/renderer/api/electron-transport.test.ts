// The renderer's Electron transport (renderer/src/api/electron-transport.ts) over a stand-in for the
// preload's bridge: envelopes unwrapped, errors rebuilt with their name, events passed through.
import { describe, expect, it } from 'vitest';
import type { CallEnvelope, PreloadBridge } from '../../../../app/contract/wire.js';
import { ElectronTransport } from '../../../../renderer/src/api/electron-transport.js';

function bridge(reply: (name: string, args: unknown) => CallEnvelope) {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const calls: { name: string; args: unknown }[] = [];
  const b: PreloadBridge = {
    calls: ['app:info', 'jobs:list', 'jobs:cancel'],
    events: ['job-progress'],
    async invoke(name, args) {
      calls.push({ name, args });
      return reply(name, args);
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
  };
  const emit = (event: string, payload: unknown) => listeners.get(event)?.forEach((l) => l(payload));
  return { b, calls, emit };
}

describe('ElectronTransport', () => {
  it('returns results and rebuilds named errors from envelopes', async () => {
    const { b, calls } = bridge((name) =>
      name === 'jobs:list'
        ? { ok: true, result: [] }
        : { ok: false, error: { name: 'NotFoundError', message: 'no job j1', job: 'j1' } },
    );
    const t = new ElectronTransport(b);
    expect(t.kind).toBe('electron');
    expect(t.connection).toBe('open');
    await expect(t.call('jobs:list', {})).resolves.toEqual([]);
    const err = (await t.call('jobs:cancel', { job: 'j1' }).catch((e: unknown) => e)) as Error & { job?: string };
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('NotFoundError');
    expect(err.job).toBe('j1');
    expect(calls).toEqual([
      { name: 'jobs:list', args: {} },
      { name: 'jobs:cancel', args: { job: 'j1' } },
    ]);
  });

  it('passes events through and unsubscribes', () => {
    const { b, emit } = bridge(() => ({ ok: true, result: null }));
    const t = new ElectronTransport(b);
    const seen: unknown[] = [];
    const off = t.on('job-progress', (p) => seen.push(p));
    emit('job-progress', { job: 'a' });
    off();
    emit('job-progress', { job: 'b' });
    expect(seen).toEqual([{ job: 'a' }]);
  });
});
