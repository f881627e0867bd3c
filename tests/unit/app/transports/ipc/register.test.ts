// The IPC transport against a stand-in for ipcMain (the Electron binary cannot run here): validation,
// envelopes, sender refusal, host handlers, the contract names for the preload, and event forwarding.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServices, type Services } from '../../../../../app/services/index.js';
import { registerIpc } from '../../../../../app/transports/ipc/register.js';
import type { PreloadBridge } from '../../../../../app/contract/wire.js';
import { ElectronTransport } from '../../../../../renderer/src/api/electron-transport.js';
import type { CallEnvelope } from '../../../../../app/contract/wire.js';
import { calls, events } from '../../../../../app/contract/api.js';

type Handler = (e: unknown, ...args: unknown[]) => unknown;

function fakeIpcMain() {
  const handles = new Map<string, Handler>();
  const ons = new Map<string, Handler>();
  return {
    handles,
    ons,
    handle: (ch: string, h: Handler) => void handles.set(ch, h),
    removeHandler: (ch: string) => void handles.delete(ch),
    on: (ch: string, h: Handler) => (ons.set(ch, h), undefined),
    removeListener: (ch: string) => (ons.delete(ch), undefined),
  };
}

let services: Services;
beforeAll(() => {
  services = createServices({ dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'vb-ipc-')) });
});
afterAll(() => services.close());

describe('registerIpc', () => {
  const trusted = { url: 'file:///app/index.html', parent: null };
  const evil = { url: 'https://evil.example/', parent: null };

  function setup() {
    const ipc = fakeIpcMain();
    const sent: unknown[] = [];
    const wc = { isDestroyed: () => false, send: (ch: string, msg: unknown) => sent.push([ch, msg]) };
    const dispose = registerIpc(ipc as never, services, (f) => f?.url === trusted.url, {
      hostHandlers: { 'dialog:openFolder': async () => ['/picked/folder'] },
      targets: () => [wc as never],
    });
    const invoke = (frame: unknown, name: unknown, args: unknown) =>
      ipc.handles.get('vb:call')!({ senderFrame: frame }, name, args) as Promise<CallEnvelope>;
    return { ipc, sent, dispose, invoke };
  }

  it('answers a trusted frame with envelopes after contract validation', async () => {
    const { invoke, dispose } = setup();
    const info = await invoke(trusted, 'app:info', {});
    expect(info.ok).toBe(true);
    const bad = await invoke(trusted, 'jobs:get', { job: 42 });
    expect(bad).toMatchObject({ ok: false, error: { name: 'ValidationError' } });
    const unknown = await invoke(trusted, 'fs:readFile', { path: '/etc/passwd' });
    expect(unknown).toMatchObject({ ok: false, error: { name: 'UnknownCallError' } });
    expect(await invoke(trusted, 'dialog:openFolder', {})).toEqual({ ok: true, result: ['/picked/folder'] });
    dispose();
  });

  it('refuses untrusted frames, for calls and for the contract list', async () => {
    const { ipc, invoke, dispose } = setup();
    expect(await invoke(evil, 'app:info', {})).toMatchObject({ ok: false, error: { name: 'ForbiddenError' } });
    const e1: { senderFrame: unknown; returnValue?: unknown } = { senderFrame: evil };
    ipc.ons.get('vb:contract')!(e1);
    expect(e1.returnValue).toBeNull();
    const e2: { senderFrame: unknown; returnValue?: unknown } = { senderFrame: trusted };
    ipc.ons.get('vb:contract')!(e2);
    expect(e2.returnValue).toEqual({ calls: Object.keys(calls), events: Object.keys(events) });
    dispose();
    expect(ipc.handles.size).toBe(0);
    expect(ipc.ons.size).toBe(0);
  });

  it('forwards contract events to the window and works behind the renderer-side bridge', async () => {
    const { invoke, sent, dispose } = setup();
    services.events.emit('import-folders-chosen', { paths: ['/a'] });
    expect(sent).toContainEqual(['vb:event', { event: 'import-folders-chosen', payload: { paths: ['/a'] } }]);
    const bridge: PreloadBridge = {
      calls: Object.keys(calls),
      events: Object.keys(events),
      invoke: (name, args) => invoke(trusted, name, args),
      on: () => () => undefined,
    };
    const api = new ElectronTransport(bridge);
    const err = await api.call('jobs:get', { job: 'nope' }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toBe('NotFoundError');
    dispose();
  });
});
