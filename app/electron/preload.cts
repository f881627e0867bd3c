// Preload (sandboxed, so CommonJS and only `electron` may be required): exposes ONLY the contract to the
// page as `window.voxelbase` = {calls, events, invoke(name, args), on(event, listener), pathForFile(file)}. Names are checked
// against the contract's lists (asked from main once, synchronously); nothing else of ipcRenderer leaks.
// app/transports/ipc/bridge.ts turns this into the typed Api and rebuilds errors by name.
// CommonJS file under verbatimModuleSyntax: `import = require` is the only import form TypeScript allows.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import electron = require('electron');

const { contextBridge, ipcRenderer, webUtils } = electron;

const CALL = 'vb:call';
const EVENT = 'vb:event';
const CONTRACT = 'vb:contract';

const names = ipcRenderer.sendSync(CONTRACT) as { calls: string[]; events: string[] } | null;
const callNames = new Set(names?.calls ?? []);
const eventNames = new Set(names?.events ?? []);

type Listener = (payload: unknown) => void;
const listeners = new Map<string, Set<Listener>>();

ipcRenderer.on(EVENT, (_e: electron.IpcRendererEvent, msg: { event: string; payload: unknown }) => {
  for (const l of listeners.get(msg?.event) ?? []) {
    try {
      l(msg.payload);
    } catch (err) {
      console.error(`voxelbase: listener for ${msg.event} failed`, err);
    }
  }
});

contextBridge.exposeInMainWorld('voxelbase', {
  calls: [...callNames],
  events: [...eventNames],
  invoke(name: unknown, args: unknown) {
    if (typeof name !== 'string' || !callNames.has(name)) {
      return Promise.resolve({
        ok: false,
        error: { name: 'UnknownCallError', message: `unknown call ${JSON.stringify(String(name)).slice(0, 120)}` },
      });
    }
    return ipcRenderer.invoke(CALL, name, args);
  },
  on(event: unknown, listener: unknown) {
    if (typeof event !== 'string' || !eventNames.has(event)) throw new Error(`unknown event ${String(event)}`);
    if (typeof listener !== 'function') throw new Error('listener must be a function');
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    const l = listener as Listener;
    set.add(l);
    return () => {
      set.delete(l);
    };
  },
  // The path of a file dropped on the page (Search: a query file is read where it is, not uploaded); '' when the
  // File has none (made in the page, not from disk). Electron's replacement for the removed File.path.
  pathForFile(file: unknown) {
    try {
      return webUtils.getPathForFile(file as Parameters<typeof webUtils.getPathForFile>[0]);
    } catch {
      return '';
    }
  },
});
