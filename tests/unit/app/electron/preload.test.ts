// The preload is the renderer's only door (app/electron/preload.cts): compiled as Electron would load it and run in a
// sandbox-like VM context whose `require` knows only a fake `electron`, it must expose exactly
// {calls, events, invoke, on, pathForFile} as `window.voxelbase`, forward only contract calls on the contract's channels, refuse
// unknown names and non-function listeners, deliver events to listeners (a throwing one does not stop the others),
// and unsubscribe.
import fs from 'node:fs';
import vm from 'node:vm';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { BRIDGE_KEY, IPC_CALL_CHANNEL, IPC_CONTRACT_CHANNEL, IPC_EVENT_CHANNEL, type PreloadBridge } from '../../../../app/contract/wire.js';

const source = fs.readFileSync('app/electron/preload.cts', 'utf8');
const js = ts.transpileModule(source, {
  compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: false },
}).outputText;

function loadPreload(contract: { calls: string[]; events: string[] } | null) {
  const exposed = new Map<string, unknown>();
  const invoked: unknown[][] = [];
  const sentSync: string[] = [];
  let onEvent: ((e: unknown, msg: unknown) => void) | undefined;
  const electron = {
    webUtils: {
      getPathForFile: (file: unknown) => {
        if (file && typeof file === 'object' && 'diskPath' in file) return (file as { diskPath: string }).diskPath;
        throw new TypeError('not a File');
      },
    },
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
    ipcRenderer: {
      sendSync: (channel: string) => {
        sentSync.push(channel);
        return contract;
      },
      invoke: (...args: unknown[]) => {
        invoked.push(args);
        return Promise.resolve({ ok: true, result: 'forwarded' });
      },
      on: (channel: string, listener: (e: unknown, msg: unknown) => void) => {
        if (channel === IPC_EVENT_CHANNEL) onEvent = listener;
      },
    },
  };
  const errors: unknown[][] = [];
  const module = { exports: {} };
  const requireFake = (name: string) => {
    if (name !== 'electron') throw new Error(`a sandboxed preload may require only electron, not ${name}`);
    return electron;
  };
  vm.runInNewContext(js, { require: requireFake, module, exports: module.exports, console: { error: (...a: unknown[]) => errors.push(a) } });
  return { exposed, invoked, sentSync, errors, emit: (msg: unknown) => onEvent?.({}, msg) };
}

describe('preload (the renderer\'s only door)', () => {
  const contract = { calls: ['app:info', 'jobs:list'], events: ['job-progress'] };

  it('exposes exactly the bridge, under the contract key, with the contract names asked from main once', () => {
    const p = loadPreload(contract);
    expect([...p.exposed.keys()]).toEqual([BRIDGE_KEY]);
    const bridge = p.exposed.get(BRIDGE_KEY) as PreloadBridge;
    expect(Object.keys(bridge).sort()).toEqual(['calls', 'events', 'invoke', 'on', 'pathForFile']);
    expect(bridge.calls).toEqual(contract.calls);
    expect(bridge.events).toEqual(contract.events);
    expect(p.sentSync).toEqual([IPC_CONTRACT_CHANNEL]);
  });

  it("gives a dropped file's path through webUtils, and '' for what is not a file from disk", () => {
    const bridge = loadPreload(contract).exposed.get(BRIDGE_KEY) as PreloadBridge;
    expect(bridge.pathForFile!({ diskPath: '/home/r/ct.nii.gz' } as unknown as File)).toBe('/home/r/ct.nii.gz');
    expect(bridge.pathForFile!('not a file')).toBe('');
  });

  it('forwards contract calls on the call channel and answers unknown names itself', async () => {
    const p = loadPreload(contract);
    const bridge = p.exposed.get(BRIDGE_KEY) as PreloadBridge;
    await expect(bridge.invoke('app:info', { a: 1 })).resolves.toEqual({ ok: true, result: 'forwarded' });
    expect(p.invoked).toEqual([[IPC_CALL_CHANNEL, 'app:info', { a: 1 }]]);
    const refused = await bridge.invoke('fs:readAnything', {});
    expect(refused).toMatchObject({ ok: false, error: { name: 'UnknownCallError' } });
    await bridge.invoke(42 as unknown as string, {});
    expect(p.invoked).toHaveLength(1); // nothing unknown reached ipcRenderer
  });

  it('refuses everything when main did not trust the frame (no contract names)', async () => {
    const p = loadPreload(null);
    const bridge = p.exposed.get(BRIDGE_KEY) as PreloadBridge;
    expect(bridge.calls).toEqual([]);
    expect((await bridge.invoke('app:info', {})).ok).toBe(false);
    expect(() => bridge.on('job-progress', () => undefined)).toThrow(/unknown event/);
    expect(p.invoked).toHaveLength(0);
  });

  it('delivers contract events to listeners, isolates a throwing listener, and unsubscribes', () => {
    const p = loadPreload(contract);
    const bridge = p.exposed.get(BRIDGE_KEY) as PreloadBridge;
    expect(() => bridge.on('secret-event', () => undefined)).toThrow(/unknown event/);
    expect(() => bridge.on('job-progress', 'not a function' as unknown as () => void)).toThrow(/listener must be a function/);
    const got: unknown[] = [];
    bridge.on('job-progress', () => {
      throw new Error('listener bug');
    });
    const off = bridge.on('job-progress', (payload) => got.push(payload));
    p.emit({ event: 'job-progress', payload: { job: 'j1' } });
    p.emit({ event: 'other', payload: 1 });
    p.emit(null);
    expect(got).toEqual([{ job: 'j1' }]);
    expect(p.errors).toHaveLength(1);
    off();
    p.emit({ event: 'job-progress', payload: { job: 'j2' } });
    expect(got).toEqual([{ job: 'j1' }]);
  });

  it('uses the channel names of app/contract/wire.ts (the sandboxed preload cannot import them)', () => {
    for (const ch of [IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, IPC_CONTRACT_CHANNEL]) expect(source).toContain(`'${ch}'`);
    expect(source).toContain(`exposeInMainWorld('${BRIDGE_KEY}'`);
  });
});
